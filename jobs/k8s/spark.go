package k8s

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/waggle-dev/waggle/jobevent"
	"github.com/waggle-dev/waggle/jobs"
)

// Spark driver ports (fixed, so executors reach the driver at its pod IP without a Service).
const (
	sparkDriverPort       = 7078
	sparkBlockManagerPort = 7079
	sparkUIPort           = 4040
)

// sparkDefaultsConf are the settings a Spark attempt gets unless the job sets them: Hive's semantics where
// Spark has a switch for them, and the cluster's metastore.
func sparkDefaultsConf(opts BuildOptions) map[string]string {
	return map[string]string{
		"spark.hive.metastore.uris":                     opts.MetastoreURIs,
		"spark.sql.catalogImplementation":               "hive",
		"spark.sql.ansi.enabled":                        "false",
		"spark.sql.storeAssignmentPolicy":               "LEGACY",
		"spark.sql.legacy.timeParserPolicy":             "LEGACY",
		"spark.sql.hive.convertMetastoreOrc":            "false",
		"spark.kubernetes.executor.deleteOnTermination": "true",
	}
}

// sparkPod is the Spark driver pod: spark-sql in client mode inside the cluster (spark-sql cannot use cluster
// mode), executors as pods in the same namespace owned by the driver pod (so deleting the Job removes them),
// the driver reachable at its pod IP (downward API) on fixed ports.
func sparkPod(spec jobs.AttemptSpec, t Target, opts BuildOptions, name, scriptName, sa string, r driverResources, plain map[string]string, withSecret bool) (corev1.PodSpec, string) {
	image := opts.SparkImage
	if v := plain[keySparkImage]; v != "" {
		image = v
	}
	if v := plain[keySparkDriverImage]; v != "" {
		image = v
	}
	conf := sparkDefaultsConf(opts)
	for k, v := range plain {
		if sk := sparkKey(k); sk != "" {
			conf[sk] = v
		}
	}
	// What the runner decides (after the job's settings): placement, identity, the driver's address.
	forced := map[string]string{
		"spark.kubernetes.namespace":                        t.Namespace,
		"spark.kubernetes.driver.pod.name":                  "$(" + podNameEnv + ")",
		"spark.driver.host":                                 "$(" + sparkDriverIP + ")",
		"spark.driver.bindAddress":                          "0.0.0.0",
		"spark.driver.port":                                 strconv.Itoa(sparkDriverPort),
		"spark.driver.blockManager.port":                    strconv.Itoa(sparkBlockManagerPort),
		"spark.kubernetes.executor.podNamePrefix":           name,
		"spark.kubernetes.executor.label." + LabelManagedBy: ManagedByWaggle,
		"spark.kubernetes.executor.label." + LabelJobID:     spec.JobID,
		"spark.kubernetes.executor.label." + LabelAttempt:   strconv.Itoa(spec.Number),
		"spark.kubernetes.executor.label." + LabelEngine:    EngineSpark,
		"spark.kubernetes.executor.label.spark-role":        "executor",
	}
	if _, ok := conf[keySparkImage]; !ok {
		forced[keySparkImage] = image
	}
	if sa != "" {
		forced["spark.kubernetes.authenticate.executor.serviceAccountName"] = sa
	}
	for k, v := range forced {
		conf[k] = v
	}
	// Settings Spark reads only from its own options in client mode, or that have flags of their own.
	delete(conf, keyDriverMemory)
	delete(conf, "spark.master")
	delete(conf, "spark.submit.deployMode")

	args := []string{
		"--master", "k8s://https://kubernetes.default.svc",
		"--deploy-mode", "client",
		"--name", spec.JobID,
		"--driver-memory", r.MemoryArg,
	}
	for _, k := range sortedKeys(conf) {
		args = append(args, "--conf", k+"="+conf[k])
	}
	for _, kv := range spec.HiveVars {
		args = append(args, "--hivevar", kv[0]+"="+kv[1])
	}
	if spec.Database != "" {
		args = append(args, "--database", spec.Database)
	}
	// -v echoes each statement: the parser needs it to name the statements.
	args = append(args, "-v", "-f", sparkJobDir+"/"+scriptName)

	env := []corev1.EnvVar{
		{Name: sparkDriverIP, ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.podIP"}}},
		{Name: podNameEnv, ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
		{Name: "HOME", Value: "/tmp"},
		{Name: "SPARK_USER", Value: "spark"},
	}
	mounts := []corev1.VolumeMount{
		{Name: "tmp", MountPath: "/tmp"},
		{Name: "script", MountPath: sparkJobDir, ReadOnly: true},
	}
	volumes := []corev1.Volume{
		{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
		{Name: "script", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: name + "-conf"},
			Items:                []corev1.KeyToPath{{Key: "script", Path: scriptName}}}}},
	}
	if withSecret {
		// Secret settings reach Spark as its spark-defaults.conf, never on the command line.
		env = append(env, corev1.EnvVar{Name: "SPARK_CONF_DIR", Value: sparkConfDir})
		mounts = append(mounts, corev1.VolumeMount{Name: "spark-conf", MountPath: sparkConfDir, ReadOnly: true})
		volumes = append(volumes, corev1.Volume{Name: "spark-conf", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
			SecretName: name + "-secret", Items: []corev1.KeyToPath{{Key: "spark-defaults.conf", Path: "spark-defaults.conf"}}}}})
	}
	c := corev1.Container{
		Name:            ContainerSpark,
		Image:           image,
		ImagePullPolicy: opts.ImagePullPolicy,
		Command:         []string{"/opt/spark/bin/spark-sql"},
		Args:            args,
		WorkingDir:      "/tmp",
		Env:             env,
		Ports: []corev1.ContainerPort{
			{Name: "driver-rpc-port", ContainerPort: sparkDriverPort, Protocol: corev1.ProtocolTCP},
			{Name: "blockmanager", ContainerPort: sparkBlockManagerPort, Protocol: corev1.ProtocolTCP},
			{Name: "spark-ui", ContainerPort: sparkUIPort, Protocol: corev1.ProtocolTCP},
		},
		Resources:       r.requirements(),
		SecurityContext: restrictedSecurity(false),
		VolumeMounts:    mounts,
	}
	return corev1.PodSpec{
		ServiceAccountName: sa,
		// The driver creates and watches its executor pods: it needs its token (and the namespace's
		// waggle-spark-driver Role, see deploy/).
		AutomountServiceAccountToken: ptr(true),
		EnableServiceLinks:           ptr(false),
		SecurityContext:              podSecurity(sparkUID),
		Containers:                   []corev1.Container{c},
		Volumes:                      volumes,
	}, ContainerSpark
}

// ---- spark-sql output ----

// LineClass says what a line of spark-sql's output is.
type LineClass int

const (
	LineOutput LineClass = iota // statement echo or result row: the driver's stdout
	LineLog                     // log4j, progress, timing and error lines: the driver's stderr
)

var (
	// Spark's log4j2 console pattern (yy/MM/dd HH:mm:ss LEVEL Logger: msg) and ISO variants.
	log4jRE     = regexp.MustCompile(`^(\d{2}/\d{2}/\d{2}|\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}:\d{2}([.,]\d+)?\s+(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\b`)
	timeTakenRE = regexp.MustCompile(`^Time taken: ([0-9.]+) seconds?(?:, Fetched (\d+) row\(s\))?\s*$`)
	// The first line of a failure: Spark ≥ 3.4's error classes ([TABLE_OR_VIEW_NOT_FOUND] ...), the older
	// "Error in query:" and exception lines.
	errorRE = regexp.MustCompile(`^(Error in query:|\[[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)?\] |org\.apache\.[\w.$]+(Exception|Error)\b|java\.[\w.$]+(Exception|Error)\b|Exception in thread |FAILED: )`)
	// Lines of the CLI's own that belong to no statement.
	cliNoiseRE = regexp.MustCompile(`^(Spark master: |Spark Web UI available at |Setting default log level to |To adjust logging level use |WARNING: |SLF4J: |\[Stage \d+:|\s*at [\w.$<>]+\(|Caused by: |\s*\.\.\. \d+ more$|Picked up JAVA_TOOL_OPTIONS)`)
)

// SparkSQLParser turns the merged output of `spark-sql -v -f script` into statement records: each
// statement's echo, then its result rows, then "Time taken: X seconds[, Fetched N row(s)]" (one record,
// COMPLETED), or an error (one record, FAILED; spark-sql stops at the first failure). Log lines in between
// are skipped. Rows are attributed by count: a statement's block minus its last N lines (Fetched N) is its
// echo — a result row with embedded line breaks makes the echo too short, not the count wrong.
//
// Feed lines in order with Line; call Close at the end of the stream for a statement that never finished.
type SparkSQLParser struct {
	File   string // the script's name, for the records
	Script string // the script's text, to find each statement's line (optional)

	block   []string // non-log lines since the last record
	errs    []string // the error lines of a failing statement
	index   int
	cursor  int // offset in Script after the last located statement
	failed  int // 1-based index of the first failed statement
	started time.Time
	stmts   []scriptStatement
}

// Line consumes one line (without its newline); at is when it was written (zero: unknown). It returns the
// line's class and the record it completed, if any.
func (p *SparkSQLParser) Line(at time.Time, line string) (LineClass, *jobevent.Event) {
	line = strings.TrimRight(line, "\r")
	switch {
	case len(p.errs) > 0:
		// Everything after an error belongs to it (message, "== SQL ==" excerpt, stack) until the next
		// statement — which spark-sql only starts with --force-like settings.
		if m := timeTakenRE.FindStringSubmatch(line); m != nil {
			return LineLog, p.finish(at, m, false)
		}
		if log4jRE.MatchString(line) {
			return LineLog, nil
		}
		p.errs = append(p.errs, line)
		return LineLog, nil
	case log4jRE.MatchString(line) || cliNoiseRE.MatchString(line):
		return LineLog, nil
	}
	if m := timeTakenRE.FindStringSubmatch(line); m != nil {
		return LineLog, p.finish(at, m, true)
	}
	if errorRE.MatchString(line) {
		p.errs = append(p.errs, line)
		return LineLog, nil
	}
	if len(p.block) == 0 {
		if strings.TrimSpace(line) == "" {
			return LineOutput, nil
		}
		p.started = at
	}
	p.block = append(p.block, line)
	return LineOutput, nil
}

// Close ends the stream: a statement that had begun (its echo, or an error) without a "Time taken" line is
// a FAILED record.
func (p *SparkSQLParser) Close(at time.Time) *jobevent.Event {
	if len(p.errs) == 0 && len(p.block) == 0 {
		return nil
	}
	return p.finish(at, nil, false)
}

// FailedStatement is the 1-based ordinal of the first failed statement, 0 if none.
func (p *SparkSQLParser) FailedStatement() int { return p.failed }

// Statements is the number of records produced.
func (p *SparkSQLParser) Statements() int { return p.index }

func (p *SparkSQLParser) finish(at time.Time, m []string, ok bool) *jobevent.Event {
	rows := int64(-1)
	var dur time.Duration
	if m != nil {
		secs, _ := strconv.ParseFloat(m[1], 64)
		dur = time.Duration(secs * float64(time.Second))
		rows = 0
		if m[2] != "" {
			rows, _ = strconv.ParseInt(m[2], 10, 64)
		}
	}
	echo := p.block
	if rows > 0 && int(rows) <= len(echo) {
		echo = echo[:len(echo)-int(rows)]
	}
	text := strings.TrimSpace(strings.Join(echo, "\n"))
	line, col := 0, 0
	if text != "" {
		line, col = p.locate(text)
	} else if p.Script != "" {
		// No echo (spark-submit may take -v as its own --verbose): the script's own statement, in order.
		if p.stmts == nil {
			p.stmts = splitStatements(p.Script)
		}
		if p.index < len(p.stmts) {
			text, line, col = p.stmts[p.index].text, p.stmts[p.index].line, p.stmts[p.index].col
		}
	}
	e := &jobevent.Event{Type: jobevent.TypeStatement, Index: p.index, File: p.File, Text: text,
		Kind: kindOf(text), Status: jobevent.StatusCompleted, Rows: rows, DurationMs: dur.Milliseconds()}
	if !ok || len(p.errs) > 0 {
		e.Status = jobevent.StatusFailed
		e.Error = strings.TrimSpace(strings.Join(trimErr(p.errs), "\n"))
		if e.Error == "" {
			e.Error = "the statement did not finish (the driver stopped)"
		}
		e.ErrorKind = errorKind(e.Error)
		if p.failed == 0 {
			p.failed = p.index + 1
		}
	}
	if e.Rows == 0 && e.Kind != "QUERY" {
		e.Rows = -1
	}
	if !at.IsZero() {
		e.End = at.UTC()
		e.Start = e.End.Add(-dur)
		if !p.started.IsZero() && m == nil {
			e.Start = p.started.UTC()
			e.DurationMs = e.End.Sub(e.Start).Milliseconds()
		}
	}
	e.Line, e.Col = line, col
	p.index++
	p.block, p.errs, p.started = nil, nil, time.Time{}
	return e
}

// trimErr keeps an error's message and SQL excerpt, not a Java stack trace; at most 20 lines.
func trimErr(lines []string) []string {
	var out []string
	for _, l := range lines {
		if cliNoiseRE.MatchString(l) {
			continue
		}
		out = append(out, l)
		if len(out) == 20 {
			break
		}
	}
	return out
}

// locate finds a statement's first line in the script, after the previous one; 0, 0 when not found.
func (p *SparkSQLParser) locate(text string) (line, col int) {
	if p.Script == "" || text == "" {
		return 0, 0
	}
	first := ""
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
			first = l
			break
		}
	}
	if first == "" {
		return 0, 0
	}
	i := strings.Index(p.Script[p.cursor:], first)
	if i < 0 {
		return 0, 0
	}
	off := p.cursor + i
	p.cursor = off + len(first)
	before := p.Script[:off]
	line = strings.Count(before, "\n") + 1
	col = off - (strings.LastIndex(before, "\n") + 1) + 1
	return line, col
}

// kindOf classifies a statement by its first keywords, like the engine's records (QUERY, CREATETABLE, ...).
func kindOf(text string) string {
	var words []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "--") {
			continue
		}
		words = append(words, strings.Fields(strings.ToUpper(l))...)
		if len(words) >= 4 {
			break
		}
	}
	if len(words) == 0 {
		return ""
	}
	w := func(i int) string {
		if i < len(words) {
			return words[i]
		}
		return ""
	}
	switch w(0) {
	case "SELECT", "WITH", "FROM", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "VALUES":
		return "QUERY"
	case "INSERT":
		return "INSERT"
	case "LOAD":
		return "LOAD"
	case "USE", "SET", "ADD":
		return w(0)
	case "CREATE", "DROP", "ALTER", "TRUNCATE", "MSCK":
		obj := w(1)
		for _, mod := range []string{"EXTERNAL", "TEMPORARY", "OR", "REPLACE", "GLOBAL"} {
			if obj == mod {
				obj = ""
			}
		}
		if obj == "" {
			for _, x := range words[1:] {
				if x == "TABLE" || x == "VIEW" || x == "FUNCTION" || x == "DATABASE" || x == "SCHEMA" {
					obj = x
					break
				}
			}
		}
		if obj == "SCHEMA" {
			obj = "DATABASE"
		}
		return w(0) + obj
	}
	return w(0)
}

func errorKind(msg string) string {
	switch {
	case strings.Contains(msg, "PARSE_SYNTAX_ERROR") || strings.Contains(msg, "ParseException"):
		return "Parse"
	case strings.Contains(msg, "AnalysisException") || strings.HasPrefix(msg, "[") || strings.HasPrefix(msg, "Error in query:"):
		return "Semantic"
	default:
		return "Execution"
	}
}

// sparkOutcomeNote describes an ended Spark attempt for the stderr log.
func sparkOutcomeNote(p *SparkSQLParser, exit int32) string {
	return fmt.Sprintf("spark-sql exited with code %d after %d statement(s)", exit, p.Statements())
}

type scriptStatement struct {
	text      string
	line, col int
}

// splitStatements splits a script at semicolons outside quotes, backticks and comments, the way the Spark
// SQL CLI does, dropping statements that hold only comments.
func splitStatements(script string) []scriptStatement {
	var out []scriptStatement
	start := 0
	var quote byte
	emit := func(end int) {
		text := strings.TrimSpace(script[start:end])
		code := ""
		for _, l := range strings.Split(text, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
				code = t
				break
			}
		}
		if code != "" {
			// The statement starts at its first line of code.
			off := start + strings.Index(script[start:end], code)
			l := strings.Count(script[:off], "\n") + 1
			c := off - (strings.LastIndex(script[:off], "\n") + 1) + 1
			out = append(out, scriptStatement{text: text, line: l, col: c})
		}
	}
	for i := 0; i < len(script); i++ {
		ch := script[i]
		switch {
		case quote != 0:
			if ch == '\\' && quote != '`' {
				i++
			} else if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"' || ch == '`':
			quote = ch
		case ch == '-' && i+1 < len(script) && script[i+1] == '-':
			for i < len(script) && script[i] != '\n' {
				i++
			}
		case ch == '/' && i+1 < len(script) && script[i+1] == '*':
			if j := strings.Index(script[i+2:], "*/"); j >= 0 {
				i += j + 3
			} else {
				i = len(script)
			}
		case ch == ';':
			emit(i)
			start = i + 1
		}
	}
	if start < len(script) {
		emit(len(script))
	}
	return out
}
