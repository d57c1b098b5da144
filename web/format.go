package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// parseTemplates parses each page together with the layout.
func parseTemplates(signIn bool) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"signin":   func() bool { return signIn },
		"ts":       timeHTML,
		"dur":      formatDuration,
		"durms":    func(ms int64) string { return formatDuration(time.Duration(ms) * time.Millisecond) },
		"bytes":    formatBytes,
		"num":      formatInt,
		"badge":    badgeClass,
		"short":    shortPrincipal,
		"add":      func(a, b int) int { return a + b },
		"terminal": isTerminal,
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		page := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if page == "layout" {
			continue
		}
		t, err := template.New(page).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", page, err)
		}
		pages[page] = t
	}
	return pages, nil
}

// timeHTML renders a time as <time> in UTC; the page's script shows it in the viewer's zone, UTC on hover.
func timeHTML(t time.Time) template.HTML {
	if t.IsZero() {
		return "—"
	}
	u := t.UTC()
	return template.HTML(fmt.Sprintf(`<time datetime="%s" title="%s">%s</time>`,
		u.Format(time.RFC3339Nano), u.Format("2006-01-02 15:04:05.000 UTC"), u.Format("2006-01-02 15:04:05 UTC")))
}

// formatDuration prints a duration the way people read them: 850 ms, 12.3 s, 4 m 05 s, 2 h 03 m.
func formatDuration(d time.Duration) string {
	switch {
	case d < 0:
		return "—"
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	case d < 10*time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + " s"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
	case d < time.Hour:
		s := int(d.Round(time.Second).Seconds())
		return fmt.Sprintf("%d m %02d s", s/60, s%60)
	}
	m := int(d.Round(time.Minute).Minutes())
	return fmt.Sprintf("%d h %02d m", m/60, m%60)
}

// formatS3 prints a statement's object-store traffic: "1.1 GiB read, 5.7 KiB written", either part
// left out when zero, "—" when both are.
func formatS3(read, written int64) string {
	var parts []string
	if read > 0 {
		parts = append(parts, formatBytes(read)+" read")
	}
	if written > 0 {
		parts = append(parts, formatBytes(written)+" written")
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

// formatBytes prints a byte count in binary units.
func formatBytes(n int64) string {
	if n <= 0 {
		return "—"
	}
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// formatInt prints a count with thin grouping; negative counts (not applicable) print as a dash.
func formatInt(n int64) string {
	if n < 0 {
		return "—"
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// badgeClass is the CSS class of a state or status badge.
func badgeClass(state string) string {
	switch state {
	case "COMPLETED":
		return "badge ok"
	case "FAILED":
		return "badge bad"
	case "RUNNING":
		return "badge run"
	case "CANCELLED", "CANCEL_PENDING":
		return "badge off"
	}
	return "badge wait"
}

func isTerminal(state string) bool {
	return state == "COMPLETED" || state == "FAILED" || state == "CANCELLED"
}

// shortPrincipal shortens an IAM/STS ARN to its last path element (the user, role or session).
func shortPrincipal(arn string) string {
	if i := strings.LastIndexAny(arn, "/:"); i >= 0 && i < len(arn)-1 {
		return arn[i+1:]
	}
	return arn
}

// secretWords mark a configuration key whose value is not shown.
var secretWords = []string{"secret", "password", "token", "access.key", "accesskey", "credentials", "credential"}

// isSecretKey reports whether a configuration key names a secret.
func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

const masked = "****"

// maskValue returns v, or the mask when k names a secret.
func maskValue(k, v string) string {
	if isSecretKey(k) {
		return masked
	}
	return v
}

// assignRE finds key=value assignments in parameter strings (--conf k=v, --hivevar k=v, -d k=v).
var assignRE = regexp.MustCompile(`([A-Za-z0-9_.\-#]+)=("[^"]*"|'[^']*'|[^\s"']+)`)

// maskParams masks the values of secret keys in a spark-sql / spark-submit parameter string.
func maskParams(s string) string {
	return assignRE.ReplaceAllStringFunc(s, func(m string) string {
		k, _, _ := strings.Cut(m, "=")
		if isSecretKey(k) {
			return k + "=" + masked
		}
		return m
	})
}

// errPosRE splits a statement error "file:line:col: message" (after an optional "FAILED: Kind " prefix).
var errPosRE = regexp.MustCompile(`^(.*?)([^\s:]+):(\d+):(\d+): (.*)$`)

// splitError returns the position ("file:line:col") and the message of a statement error.
func splitError(e string) (pos, msg string, line, col int) {
	m := errPosRE.FindStringSubmatch(strings.TrimSpace(e))
	if m == nil {
		return "", e, 0, 0
	}
	line, _ = strconv.Atoi(m[3])
	col, _ = strconv.Atoi(m[4])
	return m[2] + ":" + m[3] + ":" + m[4], strings.TrimSpace(m[1] + m[5]), line, col
}

// firstLine is a statement's first non-blank, non-comment line, cut to n runes.
func firstLine(text string, n int) string {
	line := ""
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, "--") {
			line = t
			break
		}
	}
	if line == "" {
		line = strings.TrimSpace(text)
	}
	if r := []rune(line); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return line
}
