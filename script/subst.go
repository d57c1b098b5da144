package script

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Configuration keys read from Vars.HiveConf.
const (
	// KeySubstitute set to "false" (case-insensitive) turns substitution off.
	KeySubstitute = "hive.variable.substitute"
	// KeyDepth is the maximum number of substitution rounds (default DefaultDepth).
	KeyDepth = "hive.variable.substitute.depth"
	// KeyStrict set to "false" (case-insensitive) makes an unbound variable stay literal (Hive
	// behaviour) instead of failing the statement.
	KeyStrict = "waggle.variable.strict"
	// DefaultDepth is Hive's default for hive.variable.substitute.depth.
	DefaultDepth = 40
)

// Vars is the variable state of a session at the moment a statement runs.
//
// Lookups by namespace:
//
//	${hivevar:x}   HiveVar["x"]   (--hivevar, -d/--define, SET hivevar:x=)
//	${hiveconf:x}  HiveConf["x"]  (--hiveconf, SET x=)
//	${env:X}       Env("X")       (nil Env means os.LookupEnv)
//	${system:x}    System["x"]    (Java system properties such as user.name)
//	${x}           HiveVar["x"], then HiveConf["x"], then System["x"]
//
// The fallback of a bare ${x} to hiveconf is Spark SQL's behaviour (Hive itself looks only in
// hivevars); scripts written for EMR that pass -hiveconf Key_ID=238 and use ${Key_ID} rely on it.
// Names are case-sensitive. Nil maps are empty.
type Vars struct {
	HiveVar  map[string]string
	HiveConf map[string]string
	System   map[string]string
	Env      func(string) (string, bool)
}

// Substituted is a statement after variable substitution.
type Substituted struct {
	Text  string    // the substituted text, what the parser sees
	Stmt  Statement // the statement as written
	edits []edit    // sorted; maps Text offsets back to Stmt.Text offsets
}

// edit records that Stmt.Text[origStart:origEnd] became Text[start:end].
type edit struct {
	origStart, origEnd int
	start, end         int
}

// Offset maps a byte offset in s.Text (clamped to [0, len(s.Text)]) to a byte offset in
// s.Stmt.Text: an offset inside the expansion of a variable maps to the "${" of that variable
// (for nested variables, of the outermost one as written); any other offset maps to the same
// character as written.
func (s *Substituted) Offset(off int) int {
	return mapOffset(s.edits, clamp(off, 0, len(s.Text)))
}

// Position maps a byte offset in s.Text to the position in the file the user wrote
// (see Offset).
func (s *Substituted) Position(off int) Position {
	return s.Stmt.PositionAt(s.Offset(off))
}

// UnboundError reports a ${...} reference with no value in strict mode. Its message does not
// include the position; callers print "Pos: Error()".
type UnboundError struct {
	Ref        string   // the reference as written, e.g. "${hivevar:key_ID}"
	Offset     int      // byte offset of its "${" in Statement.Text (SubstituteText: in the text)
	Pos        Position // the same as a file position
	Defined    []string // names the reference could have meant, as listed in the message
	Suggestion string   // e.g. "${Key_ID}", or "" when nothing is close
	note       string   // replaces the defined list (environment variables cannot be listed)
}

const maxListed = 20

func (e *UnboundError) Error() string {
	var b strings.Builder
	b.WriteString("unbound variable ")
	b.WriteString(e.Ref)
	switch {
	case e.note != "":
		b.WriteString("; ")
		b.WriteString(e.note)
	case len(e.Defined) == 0:
		b.WriteString("; no variables are defined")
	default:
		b.WriteString("; defined: ")
		names := e.Defined
		if len(names) > maxListed {
			names = names[:maxListed]
		}
		b.WriteString(strings.Join(names, ", "))
		if len(e.Defined) > maxListed {
			fmt.Fprintf(&b, ", … (%d more)", len(e.Defined)-maxListed)
		}
	}
	if e.Suggestion != "" {
		b.WriteString(" — did you mean ")
		b.WriteString(e.Suggestion)
		b.WriteString("?")
	}
	return b.String()
}

// LimitError reports a substitution that does not end: it still replaced references after
// hive.variable.substitute.depth rounds (a variable whose value refers to itself, or nesting
// deeper than the limit), or its text grew beyond MaxExpandedLen. Its message does not include
// the position.
type LimitError struct {
	Msg    string
	Ref    string   // a reference being expanded in the last round
	Offset int      // its offset in Statement.Text
	Pos    Position // the same as a file position
}

func (e *LimitError) Error() string { return e.Msg + " at " + e.Ref }

// MaxExpandedLen bounds the length of a substituted statement (a variable like a=${a}${a} doubles
// the text every round).
const MaxExpandedLen = 64 << 20

// SubstituteText substitutes variables in text with the rules of Substitute; error offsets are
// offsets in text and positions count from line 1, column 1.
func SubstituteText(text string, v Vars) (string, error) {
	s, err := Substitute(Statement{Text: text, End: len(text), Line: 1, Col: 1}, v)
	if err != nil {
		return text, err
	}
	return s.Text, nil
}

// Substitute applies Hive variable substitution to the whole text of st (inside strings and
// comments too, as Hive does).
//
// A reference is "${" name "}" where name is non-empty and has no '$', '{', '}' or white space
// (Hive's pattern excludes only '}', '$' and the space character; the difference matters only
// for names nobody can define).
// Each round replaces every bound reference in the text at once; rounds repeat until one replaces
// nothing, so inner references resolve first: ${hiveconf:${hivevar:k}}. A round that still
// replaces something after hive.variable.substitute.depth rounds (default 40; an invalid value
// means the default) fails with a *DepthError, as Hive does.
//
// hive.variable.substitute=false in v.HiveConf returns the text unchanged. An unbound reference
// fails with an *UnboundError unless waggle.variable.strict=false, in which case it stays in the
// text literally (Hive behaviour). References left inside comments never fail: they are harmless.
//
// On error the returned *Substituted is nil.
func Substitute(st Statement, v Vars) (*Substituted, error) {
	out := &Substituted{Text: st.Text, Stmt: st}
	if isFalse(v.HiveConf[KeySubstitute]) {
		return out, nil
	}
	depth := DefaultDepth
	if d, err := strconv.Atoi(strings.TrimSpace(v.HiveConf[KeyDepth])); err == nil && d >= 0 {
		depth = d
	}
	strict := !isFalse(v.HiveConf[KeyStrict])

	text := st.Text
	var edits []edit
	for round := 1; ; round++ {
		matches, unbound := v.round(text)
		if len(matches) == 0 {
			if strict && len(unbound) > 0 {
				comments := commentRanges(text)
				for _, u := range unbound { // both in text order
					for len(comments) > 0 && comments[0][1] <= u.start {
						comments = comments[1:]
					}
					if len(comments) > 0 && comments[0][0] <= u.start {
						continue // inside a comment
					}
					off := mapOffset(edits, u.start)
					return nil, v.unboundError(u.name, off, st.PositionAt(off))
				}
			}
			out.Text, out.edits = text, edits
			return out, nil
		}
		var msg string
		switch {
		case round > depth:
			msg = fmt.Sprintf("variable substitution is deeper than %d rounds (%s)", depth, KeyDepth)
		case expandedLen(text, matches) > MaxExpandedLen:
			msg = fmt.Sprintf("variable substitution makes the statement longer than %d bytes", MaxExpandedLen)
		}
		next := text
		if msg == "" {
			next = apply(text, matches)
			if next == text { // a self-referencing variable: every further round is the same
				msg = fmt.Sprintf("variable substitution is deeper than %d rounds (%s)", depth, KeyDepth)
			}
		}
		if msg != "" {
			off := mapOffset(edits, matches[0].start)
			return nil, &LimitError{Msg: msg, Ref: "${" + matches[0].name + "}", Offset: off, Pos: st.PositionAt(off)}
		}
		edits = compose(edits, matches)
		text = next
	}
}

func isFalse(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "false") }

// ref is a ${name} occurrence in a text: text[start:end], value val when bound.
type ref struct {
	start, end int
	name       string
	val        string
}

// round finds the references in text: the bound ones (to replace) and the unbound ones.
func (v Vars) round(text string) (bound, unbound []ref) {
	for i := 0; ; {
		k := strings.Index(text[i:], "${")
		if k < 0 {
			return bound, unbound
		}
		s := i + k
		j := s + 2
		for j < len(text) && nameByte(text[j]) {
			j++
		}
		if j == s+2 || j >= len(text) || text[j] != '}' {
			i = s + 1
			continue
		}
		r := ref{start: s, end: j + 1, name: text[s+2 : j]}
		if val, ok := v.lookup(r.name); ok {
			r.val = val
			bound = append(bound, r)
		} else {
			unbound = append(unbound, r)
		}
		i = j + 1
	}
}

func nameByte(c byte) bool {
	return c != '$' && c != '{' && c != '}' && !isSpace(c)
}

// Namespace prefixes of variable references.
const (
	nsHiveVar  = "hivevar:"
	nsHiveConf = "hiveconf:"
	nsEnv      = "env:"
	nsSystem   = "system:"
)

func (v Vars) lookup(name string) (string, bool) {
	if k, ok := strings.CutPrefix(name, nsHiveVar); ok {
		val, ok := v.HiveVar[k]
		return val, ok
	}
	if k, ok := strings.CutPrefix(name, nsHiveConf); ok {
		val, ok := v.HiveConf[k]
		return val, ok
	}
	if k, ok := strings.CutPrefix(name, nsEnv); ok {
		if v.Env == nil {
			return os.LookupEnv(k)
		}
		return v.Env(k)
	}
	if k, ok := strings.CutPrefix(name, nsSystem); ok {
		val, ok := v.System[k]
		return val, ok
	}
	if val, ok := v.HiveVar[name]; ok {
		return val, true
	}
	if val, ok := v.HiveConf[name]; ok {
		return val, true
	}
	val, ok := v.System[name]
	return val, ok
}

func expandedLen(text string, refs []ref) int {
	n := len(text)
	for _, r := range refs {
		n += len(r.val) - (r.end - r.start)
	}
	return n
}

// apply replaces every bound reference of one round (sorted, non-overlapping).
func apply(text string, refs []ref) string {
	var b strings.Builder
	prev := 0
	for _, r := range refs {
		b.WriteString(text[prev:r.start])
		b.WriteString(r.val)
		prev = r.end
	}
	b.WriteString(text[prev:])
	return b.String()
}

// compose returns the edits from the original text to the text produced by replacing refs in
// the current text, given old, the edits from the original to the current text.
//
// Old edits and refs are intervals of the current text. Intervals that overlap are merged into a
// group (an empty old edit joins a group only when strictly inside it); a group containing a ref
// becomes one edit whose original range spans the whole group, so that every offset inside it
// maps to the group's first "${" as written. Groups of a single old edit are just shifted.
func compose(old []edit, refs []ref) []edit {
	out := make([]edit, 0, len(old)+len(refs))
	// shift maps an offset of the current text that is not strictly inside a ref to the new text.
	delta, ri := 0, 0
	shift := func(p int) int {
		for ri < len(refs) && refs[ri].end <= p {
			delta += len(refs[ri].val) - (refs[ri].end - refs[ri].start)
			ri++
		}
		return p + delta
	}
	i, j := 0, 0
	for i < len(old) || j < len(refs) {
		var gs, ge int
		hasRef := false
		if i < len(old) && (j >= len(refs) || old[i].start <= refs[j].start) {
			gs, ge = old[i].start, old[i].end
			i++
		} else {
			gs, ge = refs[j].start, refs[j].end
			hasRef = true
			j++
		}
		for {
			if i < len(old) && old[i].start < ge && (old[i].end > gs || old[i].start > gs) {
				ge = max(ge, old[i].end)
				i++
				continue
			}
			if j < len(refs) && refs[j].start < ge {
				ge = max(ge, refs[j].end)
				hasRef = true
				j++
				continue
			}
			break
		}
		if !hasRef {
			e := old[i-1]
			s := shift(e.start)
			out = append(out, edit{origStart: e.origStart, origEnd: e.origEnd, start: s, end: shift(e.end)})
			continue
		}
		s := shift(gs)
		out = append(out, edit{
			origStart: mapOffset(old, gs),
			origEnd:   mapEnd(old, ge),
			start:     s,
			end:       shift(ge),
		})
	}
	return out
}

// mapOffset maps an offset of the text produced by edits back to the original text. Used for
// group starts it gives the original offset before any empty edits at p.
func mapOffset(edits []edit, p int) int {
	// last edit starting at or before p
	i := sort.Search(len(edits), func(i int) bool { return edits[i].start > p }) - 1
	if i < 0 {
		return p
	}
	e := edits[i]
	if p < e.end {
		return e.origStart
	}
	return e.origEnd + p - e.end
}

// mapEnd maps a group end (never strictly inside an edit) to the original text; empty edits at p
// lie after it.
func mapEnd(edits []edit, p int) int {
	i := sort.Search(len(edits), func(i int) bool { return edits[i].start >= p }) - 1
	if i < 0 {
		return p
	}
	e := edits[i]
	return e.origEnd + p - e.end
}

func (v Vars) unboundError(name string, off int, pos Position) *UnboundError {
	e := &UnboundError{Ref: "${" + name + "}", Offset: off, Pos: pos}
	type cand struct{ name, ns string }
	var cands []cand
	key := name
	switch {
	case strings.HasPrefix(name, nsEnv):
		e.note = "environment variable " + strings.TrimPrefix(name, nsEnv) + " is not set"
		return e
	case strings.HasPrefix(name, nsSystem):
		key = strings.TrimPrefix(name, nsSystem)
		for _, k := range sortedKeys(v.System, nil) {
			cands = append(cands, cand{k, nsSystem})
		}
	default:
		if k, ok := strings.CutPrefix(name, nsHiveVar); ok {
			key = k
		} else if k, ok := strings.CutPrefix(name, nsHiveConf); ok {
			key = k
		}
		for _, k := range sortedKeys(v.HiveVar, nil) {
			cands = append(cands, cand{k, nsHiveVar})
		}
		// hiveconf holds configuration too; keys without a dot are the user's variables.
		for _, k := range sortedKeys(v.HiveConf, func(k string) bool {
			_, dup := v.HiveVar[k]
			return !dup && !strings.Contains(k, ".")
		}) {
			cands = append(cands, cand{k, nsHiveConf})
		}
	}
	best, bestDist := -1, 3
	for i, c := range cands {
		e.Defined = append(e.Defined, c.name)
		if d := editDistance(strings.ToLower(key), strings.ToLower(c.name)); d < bestDist && d < len(key) {
			best, bestDist = i, d
		}
	}
	if best >= 0 {
		c := cands[best]
		prefix := c.ns
		if name == key { // a bare reference finds hivevars and hiveconf alike
			prefix = ""
		}
		e.Suggestion = "${" + prefix + c.name + "}"
	}
	return e
}

func sortedKeys(m map[string]string, keep func(string) bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		if keep == nil || keep(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// editDistance is the Levenshtein distance between a and b, counted in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
