package jobs

import (
	"fmt"
	"maps"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/waggle-dev/waggle/config"
)

// sqlParams is a parsed spark-sql (or spark-submit) parameter string.
type sqlParams struct {
	HiveVars [][2]string // -hivevar / --hivevar / -d / --define, in order
	Conf     [][2]string // -hiveconf / --conf, in order (later wins)
	Name     string      // --name
	Memory   string      // --driver-memory
	Database string      // --database
	Silent   bool        // -S / --silent
	Verbose  bool        // -v / --verbose
	Ignored  []string    // accepted and recorded, no effect on the local runner
	// spark-submit's resource options, which become configuration (spark.driver.cores, spark.executor.memory,
	// .cores, .instances; the option wins over --conf, as in spark-submit).
	DriverCores, ExecutorMemory, ExecutorCores, NumExecutors string
}

// optionsWithValue are spark-submit / spark-sql options that take one value and have no effect here.
var optionsWithValue = map[string]bool{
	"--jars": true, "--packages": true, "--exclude-packages": true, "--repositories": true, "--files": true,
	"--properties-file": true, "--driver-java-options": true, "--driver-library-path": true,
	"--driver-class-path": true, "--total-executor-cores": true, "--master": true, "--deploy-mode": true, "--class": true,
	"--queue": true, "--py-files": true, "--archives": true, "--principal": true, "--keytab": true,
	"--proxy-user": true, "-i": true,
}

// splitArgs splits a parameter string like a POSIX shell would (whitespace, '...', "...", backslash).
func splitArgs(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inArg := false
	var quote rune
	esc := false
	for _, r := range s {
		switch {
		case esc:
			cur.WriteRune(r)
			esc = false
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' {
				esc = true
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inArg = r, true
		case r == '\\':
			esc, inArg = true, true
		case unicode.IsSpace(r):
			if inArg {
				out = append(out, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	if inArg {
		out = append(out, cur.String())
	}
	return out, nil
}

// parseSQLParams parses sparkSqlParameters (or sparkSubmitParameters) the way spark-sql's command line does.
func parseSQLParams(s string) (sqlParams, error) {
	var p sqlParams
	args, err := splitArgs(s)
	if err != nil {
		return p, validationf("sparkSqlParameters: %v", err)
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		opt, val, hasVal := a, "", false
		if strings.HasPrefix(a, "--") {
			if k, v, ok := strings.Cut(a, "="); ok {
				opt, val, hasVal = k, v, true
			}
		}
		next := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", validationf("sparkSqlParameters: %s needs a value", opt)
			}
			i++
			return args[i], nil
		}
		pair := func() ([2]string, error) {
			v, err := next()
			if err != nil {
				return [2]string{}, err
			}
			k, v2, err := config.SplitPair(v)
			if err != nil {
				return [2]string{}, validationf("sparkSqlParameters: %s %v", opt, err)
			}
			return [2]string{k, v2}, nil
		}
		switch opt {
		case "-hivevar", "--hivevar", "-d", "--define":
			kv, err := pair()
			if err != nil {
				return p, err
			}
			p.HiveVars = append(p.HiveVars, kv)
		case "-hiveconf", "--hiveconf", "--conf", "-c":
			kv, err := pair()
			if err != nil {
				return p, err
			}
			p.Conf = append(p.Conf, kv)
		case "--name":
			if p.Name, err = next(); err != nil {
				return p, err
			}
		case "--driver-memory":
			if p.Memory, err = next(); err != nil {
				return p, err
			}
		case "--driver-cores":
			if p.DriverCores, err = next(); err != nil {
				return p, err
			}
		case "--executor-memory":
			if p.ExecutorMemory, err = next(); err != nil {
				return p, err
			}
		case "--executor-cores":
			if p.ExecutorCores, err = next(); err != nil {
				return p, err
			}
		case "--num-executors":
			if p.NumExecutors, err = next(); err != nil {
				return p, err
			}
		case "--database":
			if p.Database, err = next(); err != nil {
				return p, err
			}
		case "-S", "--silent":
			p.Silent = true
		case "-v", "--verbose":
			p.Verbose = true
		case "-e", "-f":
			return p, validationf("sparkSqlParameters: %s is not allowed: the job's entryPoint is the script", opt)
		default:
			if optionsWithValue[opt] {
				v, err := next()
				if err != nil {
					return p, err
				}
				p.Ignored = append(p.Ignored, opt+" "+v)
				continue
			}
			if strings.HasPrefix(opt, "-") && !hasVal && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				p.Ignored = append(p.Ignored, opt+" "+args[i+1])
				i++
				continue
			}
			p.Ignored = append(p.Ignored, a)
		}
	}
	return p, nil
}

// confClassifications are the applicationConfiguration classifications that become the job's configuration.
var confClassifications = map[string]bool{"spark-defaults": true, "hive-site": true, "spark-hive-site": true}

// applyClassifications copies the properties of the known classifications (nested ones too) into conf,
// in order, and returns the classifications it did not use.
func applyClassifications(conf map[string]string, cs []Configuration) (unused []string) {
	for _, c := range cs {
		if confClassifications[c.Classification] {
			keys := make([]string, 0, len(c.Properties))
			for k := range c.Properties {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				conf[config.Normalize(k)] = c.Properties[k]
			}
		} else {
			unused = append(unused, c.Classification)
		}
		unused = append(unused, applyClassifications(conf, c.Configurations)...)
	}
	return unused
}

// parseMemory parses a JVM-style memory size ("1g", "512m", "2048k", "1G"; no suffix = MiB) into bytes.
func parseMemory(s string) (int64, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	s = strings.TrimSuffix(s, "b")
	mult := int64(1 << 20)
	if s != "" {
		switch s[len(s)-1] {
		case 'k':
			mult, s = 1<<10, s[:len(s)-1]
		case 'm':
			mult, s = 1<<20, s[:len(s)-1]
		case 'g':
			mult, s = 1<<30, s[:len(s)-1]
		case 't':
			mult, s = 1<<40, s[:len(s)-1]
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid memory size %q", s)
	}
	return int64(n * float64(mult)), nil
}

// Configuration keys the job service reads or sets.
const (
	// KeyLocalRoots lists (comma-separated) the local directories a job may read and write besides its own
	// work dir; the storage layer's guard enforces it in the child.
	KeyLocalRoots = "waggle.jobs.local.roots"
	// KeyDefaultMemory is the driver memory of a job that names none (default 4g).
	KeyDefaultMemory = "waggle.jobs.default.memory"
	// KeyJobsMetastore: "server" (default) runs every job on the server's metastore; "job" honours a job's
	// own hive.metastore.uris / javax.jdo.option.ConnectionURL.
	KeyJobsMetastore = "waggle.jobs.metastore"
	keyDriverMemory  = "spark.driver.memory"
	keyDriverCores   = "spark.driver.cores"
	keyExecMemory    = "spark.executor.memory"
	keyExecCores     = "spark.executor.cores"
	keyExecInstances = "spark.executor.instances"
)

// jobPlan is what an attempt runs, resolved from the job run and the server's defaults.
type jobPlan struct {
	Entry       string // entry point URI or path
	HiveVars    [][2]string
	Conf        map[string]string
	MemoryBytes int64
	Memory      string
	Database    string
	Silent      bool
	Verbose     bool
	Notes       []string // accepted-but-ignored parameters, unused classifications
}

// entryPointOf returns the job's SQL entry point and its parameter string, or a validation error.
func entryPointOf(d *JobDriver) (entry, params string, err error) {
	if d == nil || (d.SparkSQLJobDriver == nil) == (d.SparkSubmitJobDriver == nil) {
		return "", "", validationf("jobDriver needs exactly one of sparkSqlJobDriver or sparkSubmitJobDriver")
	}
	if sd := d.SparkSQLJobDriver; sd != nil {
		if sd.EntryPoint == "" {
			return "", "", validationf("sparkSqlJobDriver.entryPoint is required: the SQL file to run")
		}
		entry, params = sd.EntryPoint, sd.SparkSQLParameters
	} else {
		sd := d.SparkSubmitJobDriver
		if sd.EntryPoint == "" {
			return "", "", validationf("sparkSubmitJobDriver.entryPoint is required")
		}
		entry, params = sd.EntryPoint, sd.SparkSubmitParameters
		if len(sd.EntryPointArguments) > 0 {
			return "", "", validationf("sparkSubmitJobDriver.entryPointArguments are not supported for SQL entry points")
		}
	}
	if len(entry) > 256 {
		return "", "", validationf("entryPoint must be at most 256 characters")
	}
	switch strings.ToLower(path.Ext(entry)) {
	case ".sql", ".hql", ".q":
	default:
		return "", "", validationf("entryPoint %q is not a SQL script (.sql, .hql): Waggle runs Hive SQL scripts; jars and Python entry points need the Spark runner, which does not exist yet", entry)
	}
	return entry, params, nil
}

// plan resolves a job run into what its attempts run: server defaults, then the job's classifications,
// then its parameters; the memory limit and local roots are set last so a job cannot widen them.
func plan(j *JobRun, serverConf map[string]string, roots []string, workDir string) (*jobPlan, error) {
	entry, params, err := entryPointOf(j.JobDriver)
	if err != nil {
		return nil, err
	}
	p, err := parseSQLParams(params)
	if err != nil {
		return nil, err
	}
	conf := map[string]string{}
	maps.Copy(conf, serverConf)
	var notes []string
	if co := j.ConfigurationOverrides; co != nil {
		if unused := applyClassifications(conf, co.ApplicationConfiguration); len(unused) > 0 {
			notes = append(notes, "configuration classifications without effect: "+strings.Join(unused, ", "))
		}
	}
	for _, kv := range p.Conf {
		conf[config.Normalize(kv[0])] = kv[1]
	}
	// In server mode the server's metastore is the cluster's: a job's own metastore settings (the seed names
	// thrift://hive-metastore:9083, its cluster's HMS) give way to it unless waggle.jobs.metastore=job.
	if serverConf[KeyJobsMetastore] != "job" {
		for _, k := range []string{config.MetastoreURIs, config.ConnectionURL} {
			if v, ok := conf[k]; ok && v != serverConf[k] {
				notes = append(notes, fmt.Sprintf("%s=%s replaced by the server's metastore (waggle.jobs.metastore=server)", k, v))
				if sv, ok := serverConf[k]; ok {
					conf[k] = sv
				} else {
					delete(conf, k)
				}
			}
		}
	}
	// spark-submit's resource options, checked here so a bad value fails StartJobRun.
	for _, o := range []struct {
		opt, key, val string
		min           int
	}{{"--driver-cores", keyDriverCores, p.DriverCores, 1}, {"--executor-cores", keyExecCores, p.ExecutorCores, 1},
		{"--num-executors", keyExecInstances, p.NumExecutors, 0}} {
		if o.val == "" {
			continue
		}
		if n, err := strconv.Atoi(o.val); err != nil || n < o.min {
			return nil, validationf("sparkSqlParameters: %s %s: want an integer of at least %d", o.opt, o.val, o.min)
		}
		conf[o.key] = o.val
	}
	if p.ExecutorMemory != "" {
		if _, err := parseMemory(p.ExecutorMemory); err != nil {
			return nil, validationf("sparkSqlParameters: --executor-memory: %v", err)
		}
		conf[keyExecMemory] = p.ExecutorMemory
	}
	mem := conf[keyDriverMemory]
	if p.Memory != "" {
		mem = p.Memory
	}
	if mem == "" {
		mem = conf[KeyDefaultMemory]
	}
	if mem == "" {
		mem = "4g"
	}
	memBytes, err := parseMemory(mem)
	if err != nil {
		return nil, validationf("driver memory: %v", err)
	}
	conf[keyDriverMemory] = mem
	// The driver memory is enforced on the process's resident memory (LocalRunner's watchdog). DuckDB's
	// own limit (waggle.memory.limit) is left as configured: deriving it from small driver memories breaks
	// text tables today, whose reader asks DuckDB for a 4 GiB buffer (16 × max_line_size).
	// The job's own work dir, the server's roots, and the server's local warehouse (managed tables).
	local := append([]string{workDir}, roots...)
	if wh := serverConf[config.Warehouse]; strings.HasPrefix(wh, "file:") || (wh != "" && !strings.Contains(wh, "://")) {
		if p, err := localPath(wh); err == nil {
			local = append(local, p)
		}
	}
	conf[KeyLocalRoots] = strings.Join(local, ",")
	if len(p.Ignored) > 0 {
		notes = append(notes, "parameters accepted without effect on the local runner: "+strings.Join(p.Ignored, " "))
	}
	return &jobPlan{Entry: entry, HiveVars: p.HiveVars, Conf: conf, MemoryBytes: memBytes, Memory: mem,
		Database: p.Database, Silent: p.Silent, Verbose: p.Verbose, Notes: notes}, nil
}
