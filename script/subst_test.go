package script

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestSubstituteText(t *testing.T) {
	base := Vars{
		HiveVar:  map[string]string{"x": "hv", "k": "key", "both": "from-hivevar", "S3Bucket": "b", "empty": ""},
		HiveConf: map[string]string{"key": "hc-key", "conf_only": "from-hiveconf", "both": "from-hiveconf", "a.b": "dotted"},
		System:   map[string]string{"user.name": "hive", "both": "from-system"},
		Env:      envOf(map[string]string{"HOME": "/home/h"}),
	}
	with := func(conf map[string]string) Vars {
		v := base
		v.HiveConf = map[string]string{}
		for k, val := range base.HiveConf {
			v.HiveConf[k] = val
		}
		for k, val := range conf {
			v.HiveConf[k] = val
		}
		return v
	}
	chain := func(depth string) Vars {
		return Vars{
			HiveVar:  map[string]string{"a": "${b}", "b": "${c}", "c": "done"},
			HiveConf: map[string]string{KeyDepth: depth},
		}
	}
	tests := []struct {
		name string
		text string
		v    Vars
		want string
	}{
		{"hivevar namespace", "a=${hivevar:x}", base, "a=hv"},
		{"hiveconf namespace", "a=${hiveconf:key}", base, "a=hc-key"},
		{"hiveconf keys may contain dots", "${hiveconf:a.b}", base, "dotted"},
		{"env namespace", "${env:HOME}/x", base, "/home/h/x"},
		{"system namespace", "${system:user.name}", base, "hive"},
		{"bare name prefers hivevar", "${both}", base, "from-hivevar"},
		{"bare name falls back to hiveconf (Spark)", "${conf_only}", base, "from-hiveconf"},
		{"bare name falls back to system properties", "${user.name}", base, "hive"},
		{"hivevar namespace does not look in hiveconf", "${hivevar:conf_only}", with(map[string]string{KeyStrict: "false"}), "${hivevar:conf_only}"},
		{"names are case-sensitive", "${X}", with(map[string]string{KeyStrict: "false"}), "${X}"},
		{"empty value", "a${empty}b", base, "ab"},
		{"inside quotes too", "select '${x}', \"${x}\", `${x}`", base, "select 'hv', \"hv\", `hv`"},
		{"several in one round", "${x}${x} ${S3Bucket}", base, "hvhv b"},
		{"inner variable resolves first", "${hiveconf:${hivevar:k}}", base, "hc-key"},
		{"value containing a reference resolves in the next round", "${a}", chain("40"), "done"},
		{"depth equal to the rounds needed is enough", "${a}", chain("3"), "done"},
		{"invalid depth means the default", "${a}", chain("many"), "done"},
		{"empty name is not a reference", "${}", base, "${}"},
		{"space in name is not a reference", "${x }${ x}", base, "${x }${ x}"},
		{"dollar then brace apart is not a reference", "$ {x} $x {x}", base, "$ {x} $x {x}"},
		{"unclosed reference is literal", "${x", base, "${x"},
		{"double dollar", "$${x}", base, "$hv"},
		{"brace inside a name is not a reference", "${a{b}", base, "${a{b}"},
		{"disabled substitution leaves the text alone", "${x} ${nope}", with(map[string]string{KeySubstitute: "false"}), "${x} ${nope}"},
		{"disabled substitution is case-insensitive", "${x}", with(map[string]string{KeySubstitute: " FALSE"}), "${x}"},
		{"substitution=true substitutes", "${x}", with(map[string]string{KeySubstitute: "true"}), "hv"},
		{"non-strict leaves unbound references literally", "a=${nope} b=${x}", with(map[string]string{KeyStrict: "false"}), "a=${nope} b=hv"},
		{"non-strict keeps an unbound inner reference", "${hiveconf:${nope}}", with(map[string]string{KeyStrict: "FALSE"}), "${hiveconf:${nope}}"},
		{"unbound reference inside a comment is not an error", "select 1 -- ${todo}\nfrom t /* ${x} ${y} */", base, "select 1 -- ${todo}\nfrom t /* hv ${y} */"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SubstituteText(tt.text, tt.v)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSubstituteNilEnvUsesProcessEnvironment(t *testing.T) {
	t.Setenv("WAGGLE_SCRIPT_TEST_VAR", "from-os")
	got, err := SubstituteText("${env:WAGGLE_SCRIPT_TEST_VAR}", Vars{})
	if err != nil || got != "from-os" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestSubstituteDepthLimit(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		v        Vars
		wantErr  string
		wantOffs int
	}{
		{"nesting deeper than the limit fails", "x ${a}", Vars{
			HiveVar:  map[string]string{"a": "${b}", "b": "${c}", "c": "done"},
			HiveConf: map[string]string{KeyDepth: "2"},
		}, "variable substitution is deeper than 2 rounds (hive.variable.substitute.depth) at ${c}", 2},
		{"depth 0 forbids any substitution", "${a}", Vars{
			HiveVar: map[string]string{"a": "1"}, HiveConf: map[string]string{KeyDepth: "0"},
		}, "variable substitution is deeper than 0 rounds (hive.variable.substitute.depth) at ${a}", 0},
		{"self reference fails", "select ${a}", Vars{HiveVar: map[string]string{"a": "${a}"}},
			"variable substitution is deeper than 40 rounds (hive.variable.substitute.depth) at ${a}", 7},
		{"mutual reference fails", "${a}", Vars{HiveVar: map[string]string{"a": "<${b}>", "b": "${a}"}},
			"variable substitution is deeper than 40 rounds (hive.variable.substitute.depth) at ${a}", 0},
		{"growing reference fails even when not strict", "${a}", Vars{
			HiveVar: map[string]string{"a": "${a}${a}"}, HiveConf: map[string]string{KeyStrict: "false", KeyDepth: "5"},
		}, "variable substitution is deeper than 5 rounds (hive.variable.substitute.depth) at ${a}", 0},
		{"exponential growth stops at the size limit", "${a}", Vars{HiveVar: map[string]string{"a": "${a}${a}" + strings.Repeat("x", 8<<20)}},
			"variable substitution makes the statement longer than 67108864 bytes at ${a}", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Substitute(Statement{Text: tt.text, Line: 1, Col: 1}, tt.v)
			var de *LimitError
			if !errors.As(err, &de) {
				t.Fatalf("got %v, want a *LimitError", err)
			}
			if err.Error() != tt.wantErr {
				t.Fatalf("got %q, want %q", err, tt.wantErr)
			}
			if de.Offset != tt.wantOffs {
				t.Fatalf("offset %d, want %d", de.Offset, tt.wantOffs)
			}
		})
	}
}

func TestSubstituteStrictErrors(t *testing.T) {
	seedVars := Vars{HiveVar: map[string]string{"Key_ID": "238", "S3Bucket": "b"}}
	many := map[string]string{}
	for i := range 25 {
		many[fmt.Sprintf("v%02d", i)] = "x"
	}
	tests := []struct {
		name    string
		text    string
		v       Vars
		want    string
		wantOff int
	}{
		{"case-insensitive match is suggested", "where key=${key_ID}", seedVars,
			"unbound variable ${key_ID}; defined: Key_ID, S3Bucket — did you mean ${Key_ID}?", 10},
		{"edit distance two is suggested", "${Key_I}", seedVars,
			"unbound variable ${Key_I}; defined: Key_ID, S3Bucket — did you mean ${Key_ID}?", 0},
		{"nothing close, no suggestion", "${region}", seedVars,
			"unbound variable ${region}; defined: Key_ID, S3Bucket", 0},
		{"a one-letter name is not close to every other one-letter name", "${a}", Vars{HiveVar: map[string]string{"b": "1"}},
			"unbound variable ${a}; defined: b", 0},
		{"case-insensitive match wins over a closer edit", "${KEYS}", Vars{HiveVar: map[string]string{"key": "1", "keys": "2"}},
			"unbound variable ${KEYS}; defined: key, keys — did you mean ${keys}?", 0},
		{"no variables at all", "${x}", Vars{},
			"unbound variable ${x}; no variables are defined", 0},
		{"configuration keys are not listed as variables", "${x}", Vars{HiveConf: map[string]string{"hive.exec.parallel": "true"}},
			"unbound variable ${x}; no variables are defined", 0},
		{"hiveconf variables are listed after hivevars", "${key_id}", Vars{
			HiveVar: map[string]string{"S3Bucket": "b"}, HiveConf: map[string]string{"Key_ID": "238", "spark.x": "1"},
		}, "unbound variable ${key_id}; defined: S3Bucket, Key_ID — did you mean ${Key_ID}?", 0},
		{"namespaced suggestion names the namespace that has it", "${hivevar:key_id}", Vars{HiveConf: map[string]string{"Key_ID": "238"}},
			"unbound variable ${hivevar:key_id}; defined: Key_ID — did you mean ${hiveconf:Key_ID}?", 0},
		{"system suggestions come from system properties", "${system:user.nme}", Vars{System: map[string]string{"user.name": "h"}},
			"unbound variable ${system:user.nme}; defined: user.name — did you mean ${system:user.name}?", 0},
		{"environment cannot be listed", "${env:NOPE_X}", Vars{HiveVar: map[string]string{"a": "1"}, Env: envOf(nil)},
			"unbound variable ${env:NOPE_X}; environment variable NOPE_X is not set", 0},
		{"long lists are cut", "${zz}", Vars{HiveVar: many},
			"unbound variable ${zz}; defined: v00, v01, v02, v03, v04, v05, v06, v07, v08, v09, v10, v11, v12, v13, v14, v15, v16, v17, v18, v19, … (5 more)", 0},
		{"unbound inner reference is reported", "x ${hiveconf:${nope}}", Vars{HiveConf: map[string]string{"k": "v"}},
			"unbound variable ${nope}; defined: k", 13},
		{"unbound reference produced by a value points at the reference written", "a ${v} b", Vars{HiveVar: map[string]string{"v": "<${w}>"}},
			"unbound variable ${w}; defined: v", 2},
		{"comment markers inside strings do not hide a reference", "select '--', ${n1}", Vars{},
			"unbound variable ${n1}; no variables are defined", 13},
		{"unbound reference inside a string is an error", "select '${n1}'", Vars{},
			"unbound variable ${n1}; no variables are defined", 8},
		{"first unbound reference outside comments", "-- ${c1}\nselect ${n1}, ${n2}", Vars{},
			"unbound variable ${n1}; no variables are defined", 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Substitute(Statement{Text: tt.text, Line: 1, Col: 1}, tt.v)
			var ue *UnboundError
			if !errors.As(err, &ue) {
				t.Fatalf("got %v (%v), want an *UnboundError", err, s)
			}
			if err.Error() != tt.want {
				t.Fatalf("message\n got %q\nwant %q", err, tt.want)
			}
			if ue.Offset != tt.wantOff || ue.Pos.Offset != tt.wantOff {
				t.Fatalf("offset %d (pos %v), want %d", ue.Offset, ue.Pos, tt.wantOff)
			}
		})
	}
}

func TestSubstitutedOffsetMapping(t *testing.T) {
	v := Vars{HiveVar: map[string]string{
		"x": "LONGVALUE", "k": "key", "e": "", "nest": "<${x}>", "two": "${x}${x}",
	}, HiveConf: map[string]string{"key": "v"}}
	tests := []struct {
		name string
		text string
		want string
		// offsets in the substituted text -> expected offsets in the original
		maps map[int]int
	}{
		{"no variables: identity", "select 1", "select 1", map[int]int{0: 0, 5: 5, 8: 8}},
		{"before a variable is unchanged", "ab ${x} cd", "ab LONGVALUE cd", map[int]int{0: 0, 2: 2, 3: 3}},
		{"inside an expansion maps to its ${", "ab ${x} cd", "ab LONGVALUE cd", map[int]int{4: 3, 11: 3}},
		{"after an expansion shifts back", "ab ${x} cd", "ab LONGVALUE cd", map[int]int{12: 7, 13: 8, 15: 10}},
		{"shrinking expansion", "${k}=1", "key=1", map[int]int{0: 0, 2: 0, 3: 4, 5: 6}},
		{"empty expansion", "a${e}b", "ab", map[int]int{0: 0, 1: 5, 2: 6}},
		{"two expansions accumulate shifts", "${k} ${x} z", "key LONGVALUE z", map[int]int{3: 4, 4: 5, 13: 9, 14: 10}},
		{"nested references map to the outer ${", "(${hiveconf:${hivevar:k}}) z", "(v) z", map[int]int{1: 1, 2: 25, 4: 27}},
		{"value with a reference maps to the reference written", "q ${nest} r", "q <LONGVALUE> r", map[int]int{2: 2, 3: 2, 12: 2, 13: 9, 14: 10}},
		{"value with two references", "${two}!", "LONGVALUELONGVALUE!", map[int]int{0: 0, 9: 0, 17: 0, 18: 6, 19: 7}},
		{"reference spliced by an earlier round maps to its first $", "$${e}{k}.", "key.", map[int]int{0: 0, 2: 0, 3: 8}},
		{"offsets past the end clamp", "${k}", "key", map[int]int{3: 4, 100: 4, -1: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Substitute(Statement{Text: tt.text, Line: 1, Col: 1}, v)
			if err != nil {
				t.Fatal(err)
			}
			if s.Text != tt.want {
				t.Fatalf("text %q, want %q", s.Text, tt.want)
			}
			for off, want := range tt.maps {
				if got := s.Offset(off); got != want {
					t.Errorf("Offset(%d) = %d, want %d", off, got, want)
				}
			}
			checkMapping(t, s)
		})
	}
}

// checkMapping verifies the invariants of a substitution's offset mapping.
func checkMapping(t *testing.T, s *Substituted) {
	t.Helper()
	orig := s.Stmt.Text
	prev := 0
	for off := 0; off <= len(s.Text); off++ {
		o := s.Offset(off)
		if o < 0 || o > len(orig) {
			t.Fatalf("Offset(%d) = %d outside [0, %d]", off, o, len(orig))
		}
		if o < prev {
			t.Fatalf("Offset(%d) = %d goes back from %d", off, o, prev)
		}
		prev = o
		// A byte of an expansion maps to the '$' of the reference as written (usually "${", or
		// "$" + "${e}{x}" when the reference was spliced together by an earlier round).
		if off < len(s.Text) && o < len(orig) && s.Text[off] != orig[o] && orig[o] != '$' {
			t.Fatalf("Offset(%d) = %d: %q maps to %q, which is neither the same byte nor a $", off, o, s.Text[off], orig[o])
		}
	}
	if got := s.Offset(len(s.Text)); got != len(orig) {
		t.Fatalf("end of text maps to %d, want %d", got, len(orig))
	}
}

func TestSubstitutedPosition(t *testing.T) {
	src := "-- header\nselect a,\n  ${hivevar:col} + ${bad}\nfrom t;"
	stmts, err := Split("q.sql", src)
	if err != nil {
		t.Fatal(err)
	}
	v := Vars{HiveVar: map[string]string{"col": "some_long_column", "bad": "x"}}
	s, err := Substitute(stmts[0], v)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   string // first occurrence in the substituted text
		want string
	}{
		{"unchanged text before", "select", "q.sql:2:1"},
		{"inside an expansion", "long_column", "q.sql:3:3"},
		{"after an expansion", "+ x", "q.sql:3:18"},
		{"on a later line", "from", "q.sql:4:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off := strings.Index(s.Text, tt.at)
			if got := s.Position(off).String(); got != tt.want {
				t.Fatalf("Position of %q = %s, want %s", tt.at, got, tt.want)
			}
		})
	}

	delete(v.HiveVar, "bad")
	_, err = Substitute(stmts[0], v)
	var ue *UnboundError
	if !errors.As(err, &ue) || ue.Pos.String() != "q.sql:3:20" {
		t.Fatalf("got %v at %+v, want an unbound error at q.sql:3:20", err, ue)
	}
}

func TestSubstituteSeedScript(t *testing.T) {
	src := readSeed(t)
	stmts, err := Split("set-of-hive-queries.sql", src)
	if err != nil {
		t.Fatal(err)
	}
	v := Vars{HiveVar: map[string]string{"S3Bucket": "b", "Key_ID": "238"}}
	for _, st := range stmts {
		s, err := Substitute(st, v)
		if err != nil {
			t.Fatalf("%v: %v", st.Pos(), err)
		}
		if strings.Contains(s.Text, "${") {
			t.Errorf("%v: not substituted: %q", st.Pos(), s.Text)
		}
		checkMapping(t, s)
	}
	if s, _ := Substitute(stmts[13], v); s.Text != "SELECT * FROM ctas_testtable WHERE key=238" {
		t.Errorf("statement 14 is %q", s.Text)
	}

	delete(v.HiveVar, "Key_ID")
	var failed []string
	for _, st := range stmts {
		if _, err := Substitute(st, v); err != nil {
			var ue *UnboundError
			if !errors.As(err, &ue) {
				t.Fatalf("%v: %v", st.Pos(), err)
			}
			failed = append(failed, ue.Pos.String()+": "+err.Error())
		}
	}
	want := []string{"set-of-hive-queries.sql:31:40: unbound variable ${Key_ID}; defined: S3Bucket"}
	if strings.Join(failed, "\n") != strings.Join(want, "\n") {
		t.Fatalf("failures:\n%s\nwant:\n%s", strings.Join(failed, "\n"), strings.Join(want, "\n"))
	}
}
