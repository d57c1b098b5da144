package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"github.com/waggle-dev/waggle/jobs"
)

// Timeline geometry, in SVG user units (the SVG scales to its box's width).
const (
	tlWidth  = 1000.0
	tlLabel  = 0.0 // labels sit inside the chart, over the bars' track
	tlTop    = 4.0
	tlAxis   = 22.0
	tlMaxRow = 18.0
	tlMinRow = 3.0
	tlMaxH   = 420.0
)

// timelineSVG draws one bar per statement, on its own row, placed at the statement's start and as long
// as its duration, relative to the whole run (statements without times are laid end to end). Each bar
// links to its row in the statements table and carries a <title> with what it was. running adds a
// dashed marker after the last statement: the next one is under way.
func timelineSVG(st []jobs.Statement, running bool, now time.Time) template.HTML {
	if len(st) == 0 {
		return ""
	}
	// Start and end of every bar, in ms from the run's start.
	type span struct{ from, to float64 }
	spans := make([]span, len(st))
	var origin time.Time
	for _, s := range st {
		if !s.Start.IsZero() && (origin.IsZero() || s.Start.Before(origin)) {
			origin = s.Start
		}
	}
	cursor := 0.0
	for i, s := range st {
		d := float64(s.DurationMs)
		if d <= 0 && !s.Start.IsZero() && s.End.After(s.Start) {
			d = float64(s.End.Sub(s.Start).Microseconds()) / 1000
		}
		from := cursor
		if !s.Start.IsZero() && !origin.IsZero() {
			from = float64(s.Start.Sub(origin).Microseconds()) / 1000
		}
		spans[i] = span{from, from + d}
		cursor = max(cursor, from+d)
	}
	total := cursor
	if running && !origin.IsZero() {
		total = max(total, float64(now.Sub(origin).Milliseconds()))
	}
	if total <= 0 {
		total = 1
	}
	rows := len(st)
	if running {
		rows++
	}
	rowH := min(tlMaxRow, max(tlMinRow, (tlMaxH-tlTop-tlAxis)/float64(rows)))
	labels := rowH >= 14
	height := tlTop + float64(rows)*rowH + tlAxis
	scale := tlWidth / total

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="timeline" role="img" aria-labelledby="tl-title" viewBox="0 0 %.0f %.0f" preserveAspectRatio="none" width="100%%" height="%.0f" xmlns="http://www.w3.org/2000/svg">`,
		tlWidth, height, height)
	fmt.Fprintf(&b, `<title id="tl-title">Timeline of %d statement(s) over %s</title>`, len(st), html.EscapeString(formatDuration(time.Duration(total*float64(time.Millisecond)))))
	// Grid: four ticks with their times.
	for i := 0; i <= 4; i++ {
		x := tlWidth * float64(i) / 4
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x, tlTop, x, height-tlAxis+4)
		anchor := "middle"
		switch i {
		case 0:
			anchor = "start"
		case 4:
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="%s">%s</text>`, x, height-6, anchor,
			html.EscapeString(tickLabel(total*float64(i)/4, total)))
	}
	for i, s := range st {
		y := tlTop + float64(i)*rowH
		x := spans[i].from * scale
		w := max((spans[i].to-spans[i].from)*scale, 1.5) // a 0 ms statement still shows
		status := strings.ToLower(s.Status)
		if status != "completed" && status != "failed" {
			status = "other"
		}
		tip := fmt.Sprintf("#%d (line %d) %s — %s, %s, %s rows", s.Index+1, s.Line, firstLine(s.Text, 80), s.Status,
			formatDuration(time.Duration(s.DurationMs)*time.Millisecond), formatInt(s.Rows))
		fmt.Fprintf(&b, `<a href="#stmt-%d" class="bar-link"><rect class="bar %s" data-index="%d" x="%.2f" y="%.2f" width="%.2f" height="%.2f" rx="1.5"><title>%s</title></rect>`,
			s.Index+1, status, s.Index+1, x, y+1, w, max(rowH-2, 1), html.EscapeString(tip))
		if labels {
			lx, anchor := x+w+4, "start"
			if lx > tlWidth-160 {
				lx, anchor = x-4, "end"
			}
			fmt.Fprintf(&b, `<text class="bar-label" x="%.1f" y="%.1f" text-anchor="%s">#%d %s</text>`, lx, y+rowH-4.5, anchor,
				s.Index+1, html.EscapeString(formatDuration(time.Duration(s.DurationMs)*time.Millisecond)))
		}
		b.WriteString(`</a>`)
	}
	if running {
		y := tlTop + float64(len(st))*rowH
		x := cursor * scale
		fmt.Fprintf(&b, `<rect class="bar running" x="%.2f" y="%.2f" width="%.2f" height="%.2f" rx="1.5"><title>next statement running</title></rect>`,
			x, y+1, max(tlWidth-x, 1.5), max(rowH-2, 1))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// tickLabel prints an axis time (ms); sub-10 ms runs get a decimal so the ticks differ.
func tickLabel(ms, total float64) string {
	if total < 10 {
		return fmt.Sprintf("%.1f ms", ms)
	}
	return formatDuration(time.Duration(ms * float64(time.Millisecond)))
}
