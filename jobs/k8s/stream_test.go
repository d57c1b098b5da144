package k8s

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waggle-dev/waggle/jobevent"
)

// fakeWaggle stands in for the waggle binary: it writes rows, progress and events the way `waggle run
// --events PATH` does, and exits with its first argument's code after "run".
const fakeWaggle = `#!/bin/sh
# args: run SCRIPT [--hivevar k=v]... --events PATH
for last; do :; done
ev="$last"
echo "238	val_238"
echo "OK" >&2
printf '%s\n' '{"type":"statement","index":0,"text":"SELECT 1","status":"COMPLETED","rows":1}' >>"$ev"
echo "Time taken: 0.01 seconds" >&2
printf '%s\n' "{\"type\":\"end\",\"exitCode\":$CODE,\"statements\":1}" >>"$ev"
echo "args: $*" >&2
exit "$CODE"
`

// The pod's wrapper, run here with /bin/sh and sed: the tagged container log demultiplexes back into
// stdout, stderr and events, and the exit status is waggle's.
func TestWrapperRoundTrip(t *testing.T) {
	for _, tool := range []string{"sh", "sed", "mkfifo", "mktemp"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not available", tool)
		}
	}
	for _, code := range []string{"0", "3"} {
		dir := t.TempDir()
		bin := filepath.Join(dir, "waggle")
		if err := os.WriteFile(bin, []byte(fakeWaggle), 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("/bin/sh", "-c", Wrapper, "waggle-pod", "run", "a.sql", "--hivevar", "k=v w")
		cmd.Env = append(os.Environ(), "WAGGLE_BIN="+bin, "CODE="+code, "TMPDIR="+dir)
		var log bytes.Buffer
		cmd.Stdout, cmd.Stderr = &log, &log // the kubelet merges both streams into one log
		err := cmd.Run()
		if got := cmd.ProcessState.ExitCode(); got != map[string]int{"0": 0, "3": 3}[code] {
			t.Fatalf("exit %d (%v), want %s; log:\n%s", got, err, code, log.String())
		}
		var stdout, stderr bytes.Buffer
		var events []jobevent.Event
		s := &Sink{Stdout: &stdout, Stderr: &stderr, OnEvent: func(e jobevent.Event) { events = append(events, e) }}
		if err := s.Demux(&log); err != nil {
			t.Fatal(err)
		}
		if stdout.String() != "238\tval_238\n" {
			t.Errorf("stdout %q", stdout.String())
		}
		if !strings.Contains(stderr.String(), "OK\n") || !strings.Contains(stderr.String(), "args: run a.sql --hivevar k=v w --events /dev/fd/3") {
			t.Errorf("stderr %q", stderr.String())
		}
		if len(events) != 1 || events[0].Text != "SELECT 1" || s.End == nil || s.End.ExitCode != map[string]int{"0": 0, "3": 3}[code] {
			t.Errorf("events %+v end %+v", events, s.End)
		}
	}
}

func TestDemuxSkipsRepeatedEventsAndMalformedLines(t *testing.T) {
	var warned []string
	var got []jobevent.Event
	s := &Sink{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Skip: 1, OnEvent: func(e jobevent.Event) { got = append(got, e) },
		Warn: func(m string) { warned = append(warned, m) }}
	in := "J|{\"type\":\"statement\",\"index\":0}\nJ|{broken\nJ|{\"type\":\"statement\",\"index\":1}\nplain line\n"
	if err := s.Demux(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Index != 1 || len(warned) != 1 || s.Delivered() != 2 {
		t.Fatalf("got %+v warned %v", got, warned)
	}
	if s.Stderr.(*bytes.Buffer).String() != "plain line\n" {
		t.Errorf("stderr %q", s.Stderr.(*bytes.Buffer).String())
	}
}
