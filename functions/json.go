package functions

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// jnode is a parsed JSON value that keeps object key order (Hive prints objects as they came).
type jnode struct {
	kind byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	keys []string
	vals []*jnode
	str  string // string value, number text, "true"/"false"
}

func parseJSON(s string) (*jnode, bool) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	n, ok := readJSON(d)
	if !ok {
		return nil, false
	}
	return n, true
}

func readJSON(d *json.Decoder) (*jnode, bool) {
	tok, err := d.Token()
	if err != nil {
		return nil, false
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &jnode{kind: 'o'}
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, false
				}
				k, ok := kt.(string)
				if !ok {
					return nil, false
				}
				v, ok := readJSON(d)
				if !ok {
					return nil, false
				}
				n.keys = append(n.keys, k)
				n.vals = append(n.vals, v)
			}
			if _, err := d.Token(); err != nil {
				return nil, false
			}
			return n, true
		case '[':
			n := &jnode{kind: 'a'}
			for d.More() {
				v, ok := readJSON(d)
				if !ok {
					return nil, false
				}
				n.vals = append(n.vals, v)
			}
			if _, err := d.Token(); err != nil {
				return nil, false
			}
			return n, true
		}
	case string:
		return &jnode{kind: 's', str: t}, true
	case json.Number:
		return &jnode{kind: 'n', str: t.String()}, true
	case bool:
		return &jnode{kind: 'b', str: strconv.FormatBool(t)}, true
	case nil:
		return &jnode{kind: 'z'}, true
	}
	return nil, false
}

func (n *jnode) get(key string) *jnode {
	for i := len(n.keys) - 1; i >= 0; i-- {
		if n.keys[i] == key {
			return n.vals[i]
		}
	}
	return nil
}

func (n *jnode) write(b *bytes.Buffer) {
	switch n.kind {
	case 'o':
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k)
			b.WriteByte(':')
			n.vals[i].write(b)
		}
		b.WriteByte('}')
	case 'a':
		b.WriteByte('[')
		for i, v := range n.vals {
			if i > 0 {
				b.WriteByte(',')
			}
			v.write(b)
		}
		b.WriteByte(']')
	case 's':
		writeJSONString(b, n.str)
	case 'z':
		b.WriteString("null")
	default:
		b.WriteString(n.str)
	}
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	// encoding/json escapes <, >, & for HTML; Jackson does not.
	enc = bytes.ReplaceAll(enc, []byte(`\u003c`), []byte("<"))
	enc = bytes.ReplaceAll(enc, []byte(`\u003e`), []byte(">"))
	enc = bytes.ReplaceAll(enc, []byte(`\u0026`), []byte("&"))
	b.Write(enc)
}

// text is the value as get_json_object returns it: strings without quotes, null as SQL NULL, objects
// and arrays as compact JSON.
func (n *jnode) text() any {
	switch n.kind {
	case 's':
		return n.str
	case 'z':
		return nil
	case 'n', 'b':
		return n.str
	}
	var b bytes.Buffer
	n.write(&b)
	return b.String()
}

// jsonField is json_tuple's lookup of a top-level key.
func jsonField(doc, key string) any {
	n, ok := parseJSON(doc)
	if !ok || n.kind != 'o' {
		return nil
	}
	v := n.get(key)
	if v == nil {
		return nil
	}
	return v.text()
}

// getJSONObject is Hive's get_json_object(json, path) for the path forms Hive supports: $, .key,
// ['key'], [n], [*] and .* ; NULL for invalid JSON, invalid paths or no match.
func getJSONObject(doc, path string) any {
	if !strings.HasPrefix(path, "$") {
		return nil
	}
	root, ok := parseJSON(doc)
	if !ok {
		return nil
	}
	cur := []*jnode{root}
	multi := false
	p := path[1:]
	for len(p) > 0 {
		var next []*jnode
		switch {
		case p[0] == '.':
			p = p[1:]
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			key := p[:end]
			p = p[end:]
			if key == "" {
				return nil
			}
			for _, n := range cur {
				if n.kind == 'a' && multi {
					// $.a[*].b: apply to each element.
					for _, e := range n.vals {
						if e.kind == 'o' {
							if v := e.get(key); v != nil {
								next = append(next, v)
							}
						}
					}
					continue
				}
				if n.kind != 'o' {
					continue
				}
				if key == "*" {
					next = append(next, n.vals...)
					multi = true
					continue
				}
				if v := n.get(key); v != nil {
					next = append(next, v)
				}
			}
		case p[0] == '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return nil
			}
			sel := strings.TrimSpace(p[1:end])
			p = p[end+1:]
			switch {
			case sel == "*":
				multi = true
				for _, n := range cur {
					if n.kind == 'a' {
						next = append(next, n.vals...)
					}
				}
			case len(sel) >= 2 && (sel[0] == '\'' || sel[0] == '"'):
				key := sel[1 : len(sel)-1]
				for _, n := range cur {
					if n.kind == 'o' {
						if v := n.get(key); v != nil {
							next = append(next, v)
						}
					}
				}
			default:
				i, err := strconv.Atoi(sel)
				if err != nil || i < 0 {
					return nil
				}
				for _, n := range cur {
					if n.kind == 'a' && i < len(n.vals) {
						next = append(next, n.vals[i])
					}
				}
			}
		default:
			return nil
		}
		cur = next
		if len(cur) == 0 {
			return nil
		}
	}
	if multi {
		if len(cur) == 1 && cur[0].kind != 'a' {
			return cur[0].text()
		}
		arr := &jnode{kind: 'a', vals: cur}
		return arr.text()
	}
	return cur[0].text()
}
