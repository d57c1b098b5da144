package k8s

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/waggle-dev/waggle/jobevent"
)

// Wrapper is the waggle container's command (`/bin/sh -c Wrapper waggle-pod ARGS...`): it runs
// `waggle ARGS --events /dev/fd/3` and tags each line of its stdout ("O|"), stderr ("E|") and events ("J|").
// O and E lines go to the container's stdout, J lines alone to its stderr (one writer per pipe, so a long
// event line is never interleaved). SIGTERM (cancellation) is passed on to waggle; the exit status is
// waggle's. WAGGLE_BIN overrides the binary (tests).
const Wrapper = `set -u
d=$(mktemp -d) && mkfifo "$d/o" "$d/e" "$d/j" || exit 70
sed -u 's/^/O|/' <"$d/o" &
sed -u 's/^/E|/' <"$d/e" &
sed -u 's/^/J|/' <"$d/j" >&2 &
exec 3>"$d/j"
"${WAGGLE_BIN:-/usr/local/bin/waggle}" "$@" --events /dev/fd/3 >"$d/o" 2>"$d/e" &
pid=$!
exec 3>&-
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
wait "$pid"; rc=$?
while kill -0 "$pid" 2>/dev/null; do wait "$pid"; rc=$?; done
wait
exit "$rc"
`

// Line tags of the wrapper.
const (
	tagStdout = "O|"
	tagStderr = "E|"
	tagEvent  = "J|"
)

// Sink receives an attempt's demultiplexed output.
type Sink struct {
	Stdout, Stderr io.Writer
	OnEvent        func(jobevent.Event) // statement events
	Skip           int                  // statement events already delivered (a re-read log repeats them)
	Warn           func(msg string)

	End        *jobevent.Event // the "end" event, once seen
	statements int
}

// Demux reads the waggle container's log (the wrapper's tagged lines) to its end, writing stdout and
// stderr lines to the sink's writers and decoding events. Untagged lines (from the wrapper itself, or a
// log that is not the wrapper's) count as stderr.
func (s *Sink) Demux(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			s.line(strings.TrimSuffix(line, "\n"))
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (s *Sink) line(l string) {
	switch {
	case strings.HasPrefix(l, tagStdout):
		fmt.Fprintln(s.Stdout, l[len(tagStdout):])
	case strings.HasPrefix(l, tagStderr):
		fmt.Fprintln(s.Stderr, l[len(tagStderr):])
	case strings.HasPrefix(l, tagEvent):
		var e jobevent.Event
		if err := json.Unmarshal([]byte(l[len(tagEvent):]), &e); err != nil {
			if s.Warn != nil {
				s.Warn(fmt.Sprintf("malformed job event: %.80q", l))
			}
			return
		}
		s.event(e)
	default:
		fmt.Fprintln(s.Stderr, l)
	}
}

func (s *Sink) event(e jobevent.Event) {
	if e.Type == jobevent.TypeEnd {
		end := e
		s.End = &end
		return
	}
	s.statements++
	if s.statements <= s.Skip {
		return
	}
	if s.OnEvent != nil {
		s.OnEvent(e)
	}
}

// Delivered is the number of statement events the sink has passed on (including skipped ones).
func (s *Sink) Delivered() int { return s.statements }

// SparkDemux reads a Spark driver's log: log lines (optionally prefixed with the kubelet's RFC 3339
// timestamp) are classified by p, records become statement events. At the end of the stream it does not
// close p: the caller knows whether the container ended.
func (s *Sink) SparkDemux(r io.Reader, p *SparkSQLParser, timestamps bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			line = strings.TrimSuffix(line, "\n")
			var at time.Time
			if timestamps {
				if ts, rest, ok := strings.Cut(line, " "); ok {
					if t, perr := time.Parse(time.RFC3339Nano, ts); perr == nil {
						at, line = t, rest
					}
				}
			}
			class, e := p.Line(at, line)
			if class == LineOutput {
				fmt.Fprintln(s.Stdout, line)
			} else {
				fmt.Fprintln(s.Stderr, line)
			}
			if e != nil {
				s.event(*e)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
