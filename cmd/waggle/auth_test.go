package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waggle-dev/waggle/catalog/hms"
)

// TestServerSigV4AndMetastore starts `waggle server` with SigV4 credentials (no --insecure-no-auth) and
// drives it with the real AWS CLI: the right key is accepted, a wrong secret and an unknown key are
// rejected with AWS's error codes; the same process serves the HMS Thrift API.
func TestServerSigV4AndMetastore(t *testing.T) {
	aws := "/usr/bin/aws"
	if _, err := os.Stat(aws); err != nil {
		t.Skip("Debian awscli not installed (CI installs it)")
	}
	home := t.TempDir()
	users := filepath.Join(home, "users")
	if err := os.WriteFile(users, []byte("# test users\nAKIDWAGGLEGOOD good-secret arn:aws:iam::123456789012:user/alice\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, waggleBin, "server", "--bind", "127.0.0.1", "--port", fmt.Sprint(port), "--metastore-port", "0", "--users", users)
	cmd.Env = append(os.Environ(), "WAGGLE_HOME="+home)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	thrift := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`serving (thrift://\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				thrift <- m[1]
			}
		}
	}()
	var uri string
	select {
	case uri = <-thrift:
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	endpoint := fmt.Sprintf("http://127.0.0.1:%d", port)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cli := func(key, secret string, args ...string) (string, error) {
		c := exec.Command(aws, append(args, "--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json")...)
		c.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+key, "AWS_SECRET_ACCESS_KEY="+secret, "AWS_EC2_METADATA_DISABLED=true",
			"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
		out, err := c.CombinedOutput()
		return string(out), err
	}
	out, err := cli("AKIDWAGGLEGOOD", "good-secret", "emr-containers", "create-virtual-cluster", "--name", "vc1",
		"--container-provider", `{"id":"local","type":"EKS","info":{"eksInfo":{"namespace":"ns"}}}`)
	if err != nil {
		t.Fatalf("valid signature rejected: %v\n%s", err, out)
	}
	out, err = cli("AKIDWAGGLEGOOD", "good-secret", "emr-containers", "list-virtual-clusters")
	if err != nil || !strings.Contains(out, `"vc1"`) {
		t.Fatalf("list: %v\n%s", err, out)
	}
	if out, err := cli("AKIDWAGGLEGOOD", "wrong-secret", "emr-containers", "list-virtual-clusters"); err == nil || !strings.Contains(out, "InvalidSignatureException") {
		t.Fatalf("wrong secret: %v\n%s", err, out)
	}
	if out, err := cli("AKIDUNKNOWN", "x", "emr-containers", "list-virtual-clusters"); err == nil || !strings.Contains(out, "UnrecognizedClientException") {
		t.Fatalf("unknown key: %v\n%s", err, out)
	}
	// The web UI asks for the same keys: anonymous pages redirect to the sign-in page, the API's key
	// signs in, and the session opens the jobs list.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(endpoint + "/jobs")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous UI page: %s Location %q, want a redirect to /login", resp.Status, resp.Header.Get("Location"))
	}
	resp, err = noFollow.PostForm(endpoint+"/login", url.Values{"access_key": {"AKIDWAGGLEGOOD"}, "secret_key": {"good-secret"}, "next": {"/jobs"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) != 1 {
		t.Fatalf("sign in with the API key: %s, cookies %v", resp.Status, resp.Cookies())
	}
	req, _ := http.NewRequest("GET", endpoint+"/jobs", nil)
	req.AddCookie(resp.Cookies()[0])
	resp, err = noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("UI page with a session: %s", resp.Status)
	}
	// The HMS service of the same process answers Thrift clients.
	cat, err := hms.Dial(context.Background(), uri, hms.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	dbs, err := cat.ListDatabases(context.Background(), "")
	if err != nil || len(dbs) == 0 || dbs[0] != "default" {
		t.Fatalf("HMS list databases: %v %v", dbs, err)
	}
}
