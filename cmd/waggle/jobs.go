package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers"
	"github.com/aws/aws-sdk-go-v2/service/emrcontainers/types"
	"github.com/spf13/cobra"
)

// jobsClient is the `waggle jobs` client of the job API.
type jobsClient struct {
	endpoint string
	vc       string
	region   string
	creds    aws.CredentialsProvider
	api      *emrcontainers.Client
}

type jobsFlags struct {
	endpoint string
	vc       string
}

func newJobsCmd() *cobra.Command {
	f := &jobsFlags{}
	cmd := &cobra.Command{
		Use:   "jobs",
		Short: "Submit and watch jobs on a waggle server (a client of its emr-containers API)",
		Long: `Submit and watch jobs on a waggle server. The endpoint is --endpoint-url (or $WAGGLE_ENDPOINT,
default http://127.0.0.1:8080); requests are signed with $AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY when set.
Without --virtual-cluster-id (or $WAGGLE_VIRTUAL_CLUSTER_ID) the virtual cluster named "default" is used,
created on first use.`,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.endpoint, "endpoint-url", envOr("WAGGLE_ENDPOINT", "http://127.0.0.1:8080"), "job API endpoint")
	pf.StringVar(&f.vc, "virtual-cluster-id", os.Getenv("WAGGLE_VIRTUAL_CLUSTER_ID"), "virtual cluster (default: the one named \"default\")")
	cmd.AddCommand(newJobsSubmitCmd(f), newJobsListCmd(f), newJobsDescribeCmd(f), newJobsCancelCmd(f), newJobsLogsCmd(f))
	return cmd
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func (f *jobsFlags) client(ctx context.Context) (*jobsClient, error) {
	c := &jobsClient{endpoint: strings.TrimSuffix(f.endpoint, "/"), vc: f.vc, region: envOr("AWS_REGION", envOr("AWS_DEFAULT_REGION", "us-east-1"))}
	if ak, sk := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"); ak != "" && sk != "" {
		c.creds = credentials.NewStaticCredentialsProvider(ak, sk, os.Getenv("AWS_SESSION_TOKEN"))
	} else {
		c.creds = aws.AnonymousCredentials{}
	}
	c.api = emrcontainers.New(emrcontainers.Options{Region: c.region, BaseEndpoint: aws.String(c.endpoint), Credentials: c.creds})
	if c.vc == "" {
		out, err := c.api.CreateVirtualCluster(ctx, &emrcontainers.CreateVirtualClusterInput{
			Name: aws.String("default"), ClientToken: aws.String("waggle-default-virtual-cluster"),
			ContainerProvider: &types.ContainerProvider{Type: types.ContainerProviderTypeEks, Id: aws.String("waggle-local")},
		})
		if err != nil {
			return nil, err
		}
		c.vc = aws.ToString(out.Id)
	}
	return c, nil
}

// get calls one of the server's extension resources (signed like the API calls when credentials are set).
func (c *jobsClient) get(ctx context.Context, path string, q url.Values) (*http.Response, error) {
	u := c.endpoint + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if _, anon := c.creds.(aws.AnonymousCredentials); !anon {
		cr, err := c.creds.Retrieve(ctx)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(nil)
		if err := v4.NewSigner().SignHTTP(ctx, cr, req, hex.EncodeToString(sum[:]), "emr-containers", c.region, time.Now()); err != nil {
			return nil, err
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		var e struct {
			Message string `json:"message"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return nil, fmt.Errorf("%s: %s", resp.Header.Get("x-amzn-ErrorType"), e.Message)
	}
	return resp, nil
}

func newJobsSubmitCmd(f *jobsFlags) *cobra.Command {
	var hivevars, hiveconf, conf []string
	var name, role, release, memory string
	var wait bool
	cmd := &cobra.Command{
		Use:   "submit FILE",
		Short: "Submit a Hive script as a job (a local FILE is passed as file://; s3:// as is)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, err := f.client(ctx)
			if err != nil {
				return err
			}
			entry := args[0]
			if !strings.Contains(entry, "://") {
				abs, err := filepath.Abs(entry)
				if err != nil {
					return err
				}
				entry = "file://" + abs
			}
			var params []string
			for _, kv := range hivevars {
				params = append(params, "--hivevar", shellQuote(kv))
			}
			for _, kv := range hiveconf {
				params = append(params, "--hiveconf", shellQuote(kv))
			}
			for _, kv := range conf {
				params = append(params, "--conf", shellQuote(kv))
			}
			if memory != "" {
				params = append(params, "--driver-memory", shellQuote(memory))
			}
			if name == "" {
				name = strings.TrimSuffix(filepath.Base(args[0]), filepath.Ext(args[0]))
			}
			driver := &types.SparkSqlJobDriver{EntryPoint: aws.String(entry)}
			if len(params) > 0 {
				driver.SparkSqlParameters = aws.String(strings.Join(params, " "))
			}
			out, err := c.api.StartJobRun(ctx, &emrcontainers.StartJobRunInput{
				VirtualClusterId: aws.String(c.vc), Name: aws.String(sanitizeName(name)), ExecutionRoleArn: aws.String(role),
				ReleaseLabel: aws.String(release), JobDriver: &types.JobDriver{SparkSqlJobDriver: driver},
			})
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), aws.ToString(out.Id))
			if !wait {
				return nil
			}
			for {
				d, err := c.api.DescribeJobRun(ctx, &emrcontainers.DescribeJobRunInput{VirtualClusterId: aws.String(c.vc), Id: out.Id})
				if err != nil {
					return err
				}
				switch d.JobRun.State {
				case types.JobRunStateCompleted:
					return nil
				case types.JobRunStateFailed, types.JobRunStateCancelled:
					return &exitError{code: 1, err: fmt.Errorf("job %s %s: %s", aws.ToString(out.Id), d.JobRun.State, aws.ToString(d.JobRun.StateDetails))}
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(200 * time.Millisecond):
				}
			}
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&hivevars, "hivevar", nil, "variable (k=v, repeatable)")
	fl.StringArrayVar(&hiveconf, "hiveconf", nil, "Hive setting (k=v, repeatable)")
	fl.StringArrayVar(&conf, "conf", nil, "Spark-style setting (k=v, repeatable)")
	fl.StringVar(&name, "name", "", "job name (default: the file name)")
	fl.StringVar(&memory, "driver-memory", "", "memory limit of the job (e.g. 2g)")
	fl.StringVar(&role, "execution-role-arn", "arn:aws:iam::000000000000:role/waggle-local", "execution role recorded with the job")
	fl.StringVar(&release, "release-label", "emr-6.8.0-latest", "release label recorded with the job")
	fl.BoolVar(&wait, "wait", false, "wait for the job to end (exit 1 unless COMPLETED)")
	return cmd
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func sanitizeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-/#", c) >= 0) {
			b[i] = '_'
		}
	}
	if len(b) > 64 {
		b = b[:64]
	}
	return string(b)
}

func newJobsListCmd(f *jobsFlags) *cobra.Command {
	var states []string
	var max int32
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List job runs, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, err := f.client(ctx)
			if err != nil {
				return err
			}
			in := &emrcontainers.ListJobRunsInput{VirtualClusterId: aws.String(c.vc)}
			for _, s := range states {
				in.States = append(in.States, types.JobRunState(strings.ToUpper(s)))
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tSTATE\tCREATED\tFINISHED")
			n := int32(0)
			p := emrcontainers.NewListJobRunsPaginator(c.api, in)
			for p.HasMorePages() && (max == 0 || n < max) {
				page, err := p.NextPage(ctx)
				if err != nil {
					return err
				}
				for _, j := range page.JobRuns {
					if max > 0 && n >= max {
						break
					}
					n++
					fin := ""
					if j.FinishedAt != nil {
						fin = j.FinishedAt.UTC().Format(time.RFC3339)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", aws.ToString(j.Id), aws.ToString(j.Name), j.State, aws.ToTime(j.CreatedAt).UTC().Format(time.RFC3339), fin)
				}
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringSliceVar(&states, "states", nil, "only these states (comma-separated)")
	cmd.Flags().Int32Var(&max, "max-items", 0, "at most this many")
	return cmd
}

func newJobsDescribeCmd(f *jobsFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "describe ID",
		Short: "Show a job run and its statements",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, err := f.client(ctx)
			if err != nil {
				return err
			}
			d, err := c.api.DescribeJobRun(ctx, &emrcontainers.DescribeJobRunInput{VirtualClusterId: aws.String(c.vc), Id: aws.String(args[0])})
			if err != nil {
				return err
			}
			j := d.JobRun
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "id:           %s\nname:         %s\nstate:        %s\n", aws.ToString(j.Id), aws.ToString(j.Name), j.State)
			if j.FailureReason != "" {
				fmt.Fprintf(w, "failure:      %s\n", j.FailureReason)
			}
			if j.StateDetails != nil {
				fmt.Fprintf(w, "details:      %s\n", aws.ToString(j.StateDetails))
			}
			fmt.Fprintf(w, "created:      %s by %s\n", aws.ToTime(j.CreatedAt).UTC().Format(time.RFC3339), aws.ToString(j.CreatedBy))
			if j.FinishedAt != nil {
				fmt.Fprintf(w, "finished:     %s\n", j.FinishedAt.UTC().Format(time.RFC3339))
			}
			if j.JobDriver != nil && j.JobDriver.SparkSqlJobDriver != nil {
				fmt.Fprintf(w, "entry point:  %s\n", aws.ToString(j.JobDriver.SparkSqlJobDriver.EntryPoint))
			}
			resp, err := c.get(ctx, "/virtualclusters/"+c.vc+"/jobruns/"+args[0]+"/statements", nil)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			var st struct {
				Statements []struct {
					Attempt, Index, Line int
					Text, Status, Error  string
					DurationMs, Rows     int64
				} `json:"statements"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
				return err
			}
			fmt.Fprintln(w, "statements:")
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "  ATTEMPT\t#\tLINE\tSTATUS\tMS\tROWS\tSTATEMENT")
			for _, s := range st.Statements {
				text := strings.Join(strings.Fields(s.Text), " ")
				if len(text) > 60 {
					text = text[:57] + "..."
				}
				rows := strconv.FormatInt(s.Rows, 10)
				if s.Rows < 0 {
					rows = "-"
				}
				fmt.Fprintf(tw, "  %d\t%d\t%d\t%s\t%d\t%s\t%s\n", s.Attempt, s.Index+1, s.Line, s.Status, s.DurationMs, rows, text)
				if s.Error != "" {
					fmt.Fprintf(tw, "  \t\t\t\t\t\t%s\n", s.Error)
				}
			}
			return tw.Flush()
		},
	}
}

func newJobsCancelCmd(f *jobsFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "cancel ID",
		Short: "Cancel a job run",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, err := f.client(ctx)
			if err != nil {
				return err
			}
			_, err = c.api.CancelJobRun(ctx, &emrcontainers.CancelJobRunInput{VirtualClusterId: aws.String(c.vc), Id: aws.String(args[0])})
			return err
		},
	}
}

func newJobsLogsCmd(f *jobsFlags) *cobra.Command {
	var follow, stderr bool
	var attempt int
	cmd := &cobra.Command{
		Use:   "logs ID",
		Short: "Print a job run's output (stdout; --stderr for progress and errors)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, err := f.client(ctx)
			if err != nil {
				return err
			}
			stream := "stdout"
			if stderr {
				stream = "stderr"
			}
			var offset int64
			for {
				q := url.Values{"offset": {strconv.FormatInt(offset, 10)}}
				if attempt > 0 {
					q.Set("attempt", strconv.Itoa(attempt))
				}
				resp, err := c.get(ctx, "/virtualclusters/"+c.vc+"/jobruns/"+args[0]+"/logs/"+stream, q)
				if err != nil {
					return err
				}
				_, err = io.Copy(cmd.OutOrStdout(), resp.Body)
				resp.Body.Close()
				if err != nil {
					return err
				}
				if n, err := strconv.ParseInt(resp.Header.Get("x-waggle-next-offset"), 10, 64); err == nil {
					offset = n
				}
				state := resp.Header.Get("x-waggle-job-state")
				if !follow || state == "COMPLETED" || state == "FAILED" || state == "CANCELLED" {
					return nil
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(500 * time.Millisecond):
				}
			}
		},
	}
	cmd.Flags().BoolVarP(&follow, "follow", "f", false, "keep printing output until the job ends")
	cmd.Flags().BoolVar(&stderr, "stderr", false, "print stderr instead of stdout")
	cmd.Flags().IntVar(&attempt, "attempt", 0, "attempt number (default: the latest)")
	return cmd
}
