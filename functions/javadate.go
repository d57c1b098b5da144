package functions

import (
	"strconv"
	"strings"
	"time"
)

// jtok is one element of a java.text.SimpleDateFormat pattern: a run of one pattern letter, or literal
// text.
type jtok struct {
	letter byte // 0 for literal text
	count  int
	text   string
}

func isPatternLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func lexJava(p string) []jtok {
	var toks []jtok
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\'':
			// 'text' is literal; '' is a single quote.
			j := i + 1
			var b strings.Builder
			for j < len(p) {
				if p[j] == '\'' {
					if j+1 < len(p) && p[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(p[j])
				j++
			}
			if j == i+1 && j < len(p) {
				b.WriteByte('\'') // ''
			}
			toks = append(toks, jtok{text: b.String()})
			i = j + 1
		case isPatternLetter(c):
			j := i
			for j < len(p) && p[j] == c {
				j++
			}
			toks = append(toks, jtok{letter: c, count: j - i})
			i = j
		default:
			toks = append(toks, jtok{text: string(c)})
			i++
		}
	}
	return toks
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return s
	}
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// formatJava formats t with a SimpleDateFormat pattern.
func formatJava(t time.Time, pattern string) string {
	var b strings.Builder
	for _, tk := range lexJava(pattern) {
		n := tk.count
		switch tk.letter {
		case 0:
			b.WriteString(tk.text)
		case 'G':
			if t.Year() > 0 {
				b.WriteString("AD")
			} else {
				b.WriteString("BC")
			}
		case 'y', 'Y', 'u':
			if tk.letter == 'u' && n < 3 && false {
				break
			}
			y := t.Year()
			if tk.letter == 'Y' {
				y, _ = t.ISOWeek()
			}
			if n == 2 {
				b.WriteString(pad(y%100, 2))
			} else {
				b.WriteString(pad(y, n))
			}
		case 'M', 'L':
			switch {
			case n >= 4:
				b.WriteString(t.Month().String())
			case n == 3:
				b.WriteString(t.Month().String()[:3])
			default:
				b.WriteString(pad(int(t.Month()), n))
			}
		case 'd':
			b.WriteString(pad(t.Day(), n))
		case 'D':
			b.WriteString(pad(t.YearDay(), n))
		case 'E':
			if n >= 4 {
				b.WriteString(t.Weekday().String())
			} else {
				b.WriteString(t.Weekday().String()[:3])
			}
		case 'F':
			b.WriteString(pad((t.Day()-1)/7+1, n))
		case 'w':
			_, w := t.ISOWeek()
			b.WriteString(pad(w, n))
		case 'a':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'H':
			b.WriteString(pad(t.Hour(), n))
		case 'k':
			h := t.Hour()
			if h == 0 {
				h = 24
			}
			b.WriteString(pad(h, n))
		case 'K':
			b.WriteString(pad(t.Hour()%12, n))
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			b.WriteString(pad(h, n))
		case 'm':
			b.WriteString(pad(t.Minute(), n))
		case 's':
			b.WriteString(pad(t.Second(), n))
		case 'S':
			b.WriteString(pad(t.Nanosecond()/1e6, n))
		case 'z':
			b.WriteString(t.Format("MST"))
		case 'Z':
			b.WriteString(t.Format("-0700"))
		case 'X':
			switch n {
			case 1:
				b.WriteString(t.Format("Z07"))
			case 2:
				b.WriteString(t.Format("Z0700"))
			default:
				b.WriteString(t.Format("Z07:00"))
			}
		default:
			b.WriteString(strings.Repeat(string(tk.letter), n))
		}
	}
	return b.String()
}

// parseJava parses s with a SimpleDateFormat pattern, leniently as SimpleDateFormat does: numbers may
// have fewer or more digits unless the next field is numeric too, out-of-range fields roll over,
// trailing text is ignored.
func parseJava(s, pattern string, loc *time.Location) (time.Time, bool) {
	toks := lexJava(pattern)
	year, month, day, hour, minute, sec, milli := 1970, 1, 1, 0, 0, 0, 0
	pm, hasAmPm := false, false
	hour12 := false
	var zoneOff *int
	pos := 0
	numeric := func(c byte) bool {
		return strings.IndexByte("yYuMdDHhkKmsSFwW", c) >= 0
	}
	for i, tk := range toks {
		if tk.letter == 0 {
			if !strings.HasPrefix(s[pos:], tk.text) {
				// SimpleDateFormat lets a blank in the pattern match any run of blanks.
				if strings.TrimSpace(tk.text) == "" {
					continue
				}
				return time.Time{}, false
			}
			pos += len(tk.text)
			continue
		}
		if tk.letter == 'M' && tk.count >= 3 || tk.letter == 'E' || tk.letter == 'a' {
			rest := strings.ToLower(s[pos:])
			found := false
			switch tk.letter {
			case 'M':
				for m := 1; m <= 12; m++ {
					full := strings.ToLower(time.Month(m).String())
					if strings.HasPrefix(rest, full) {
						month, pos, found = m, pos+len(full), true
						break
					}
					if strings.HasPrefix(rest, full[:3]) {
						month, pos, found = m, pos+3, true
						break
					}
				}
			case 'E':
				for d := 0; d < 7; d++ {
					full := strings.ToLower(time.Weekday(d).String())
					if strings.HasPrefix(rest, full) {
						pos, found = pos+len(full), true
						break
					}
					if strings.HasPrefix(rest, full[:3]) {
						pos, found = pos+3, true
						break
					}
				}
			case 'a':
				if strings.HasPrefix(rest, "am") || strings.HasPrefix(rest, "pm") {
					pm, hasAmPm, found = rest[0] == 'p', true, true
					pos += 2
				}
			}
			if !found {
				return time.Time{}, false
			}
			continue
		}
		if tk.letter == 'z' || tk.letter == 'Z' || tk.letter == 'X' {
			rest := s[pos:]
			if strings.HasPrefix(rest, "Z") {
				z := 0
				zoneOff = &z
				pos++
				continue
			}
			if len(rest) >= 5 && (rest[0] == '+' || rest[0] == '-') {
				r := strings.Replace(rest[1:], ":", "", 1)
				if len(r) >= 4 {
					h, err1 := strconv.Atoi(r[:2])
					m, err2 := strconv.Atoi(r[2:4])
					if err1 == nil && err2 == nil {
						z := (h*60 + m) * 60
						if rest[0] == '-' {
							z = -z
						}
						zoneOff = &z
						pos += 5
						if strings.Contains(rest[:min(6, len(rest))], ":") {
							pos++
						}
						continue
					}
				}
			}
			j := pos
			for j < len(s) && (s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 'a' && s[j] <= 'z' || s[j] == '/' || s[j] == '_') {
				j++
			}
			if l, err := time.LoadLocation(s[pos:j]); err == nil && j > pos {
				loc = l
				pos = j
				continue
			}
			return time.Time{}, false
		}
		// Numeric field.
		limit := len(s)
		if i+1 < len(toks) && toks[i+1].letter != 0 && numeric(toks[i+1].letter) {
			limit = min(len(s), pos+tk.count)
		}
		j := pos
		if j < limit && (s[j] == '-' || s[j] == '+') && tk.letter == 'y' {
			j++
		}
		for j < limit && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		v, err := strconv.Atoi(s[pos:j])
		if err != nil {
			return time.Time{}, false
		}
		if tk.letter == 'y' && tk.count <= 2 && j-pos <= 2 {
			// Two-digit years fall within 80 years before and 20 after now; use the 1900/2000 pivot.
			if v < 100 {
				v += 2000
				if v > time.Now().Year()+20 {
					v -= 100
				}
			}
		}
		pos = j
		switch tk.letter {
		case 'y', 'Y', 'u':
			year = v
		case 'M':
			month = v
		case 'd':
			day = v
		case 'D':
			month, day = 1, v
		case 'H', 'k':
			hour = v
		case 'h', 'K':
			hour, hour12 = v%12, true
		case 'm':
			minute = v
		case 's':
			sec = v
		case 'S':
			milli = v
		}
	}
	if hour12 && hasAmPm && pm {
		hour += 12
	}
	if zoneOff != nil {
		loc = time.FixedZone("", *zoneOff)
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, milli*1e6, loc), true
}
