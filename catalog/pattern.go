package catalog

import (
	"regexp"
	"strings"
)

// Pattern is a compiled HMS name pattern (get_databases, get_tables,
// get_functions): alternatives separated by '|', '*' matches any sequence,
// the rest is a Java-style regular expression; matching ignores case and
// covers the whole name. The empty pattern matches everything.
type Pattern struct {
	re *regexp.Regexp // nil matches all
}

// CompilePattern compiles a Hive name pattern. Patterns that are not valid
// regular expressions are matched literally (with '*' still a wildcard), so
// CompilePattern never fails.
func CompilePattern(pattern string) Pattern {
	pattern = strings.TrimSpace(pattern)
	if pattern == "" || pattern == "*" || pattern == ".*" {
		return Pattern{}
	}
	alts := strings.Split(pattern, "|")
	regexAlts := make([]string, 0, len(alts))
	literalAlts := make([]string, 0, len(alts))
	for _, a := range alts {
		a = strings.TrimSpace(a)
		regexAlts = append(regexAlts, starToRegex(a))
		lit := strings.Split(a, "*")
		for i := range lit {
			lit[i] = regexp.QuoteMeta(lit[i])
		}
		literalAlts = append(literalAlts, strings.Join(lit, ".*"))
	}
	re, err := regexp.Compile("(?i)^(?:" + strings.Join(regexAlts, "|") + ")$")
	if err != nil {
		re = regexp.MustCompile("(?i)^(?:" + strings.Join(literalAlts, "|") + ")$")
	}
	return Pattern{re: re}
}

// starToRegex turns each '*' into ".*" unless it already follows a '.', so
// the ".*" that clients send stays ".*".
func starToRegex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '*' && (i == 0 || s[i-1] != '.') {
			b.WriteString(".*")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Match reports whether name matches the pattern.
func (p Pattern) Match(name string) bool {
	return p.re == nil || p.re.MatchString(name)
}

// MatchPattern is CompilePattern(pattern).Match(name).
func MatchPattern(pattern, name string) bool {
	return CompilePattern(pattern).Match(name)
}
