package jobs

import (
	"reflect"
	"testing"
)

func TestParseSQLParams(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		vars     [][2]string
		conf     [][2]string
		memory   string
		ignored  []string
	}{
		{name: "seed parameters", in: "-hivevar S3Bucket=b -hivevar Key_ID=238",
			vars: [][2]string{{"S3Bucket", "b"}, {"Key_ID", "238"}}},
		{name: "hiveconf and conf, spark-submit options recorded", in: "-hiveconf S3Bucket=b --conf spark.driver.memory=1G --conf spark.executor.cores=2 --jars x.jar",
			conf: [][2]string{{"S3Bucket", "b"}, {"spark.driver.memory", "1G"}, {"spark.executor.cores", "2"}}, ignored: []string{"--jars x.jar"}},
		{name: "quotes and --opt=value", in: `--hivevar "msg=a b" -d 'x=y z' --driver-memory=2g`,
			vars: [][2]string{{"msg", "a b"}, {"x", "y z"}}, memory: "2g"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := parseSQLParams(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p.HiveVars, tc.vars) || !reflect.DeepEqual(p.Conf, tc.conf) || p.Memory != tc.memory || !reflect.DeepEqual(p.Ignored, tc.ignored) {
				t.Fatalf("got %+v", p)
			}
		})
	}
	if _, err := parseSQLParams("-e 'select 1'"); err == nil {
		t.Fatal("-e must be rejected: the entry point is the script")
	}
}

func TestPlanPrecedence(t *testing.T) {
	j := &JobRun{
		JobDriver: &JobDriver{SparkSQLJobDriver: &SparkSQLJobDriver{EntryPoint: "s3://b/job.sql", SparkSQLParameters: "--conf spark.hadoop.fs.s3a.endpoint=job-param --driver-memory 512m"}},
		ConfigurationOverrides: &ConfigurationOverrides{ApplicationConfiguration: []Configuration{
			{Classification: "spark-defaults", Properties: map[string]string{"spark.sql.warehouse.dir": "s3://b/wh/", "spark.hadoop.fs.s3a.endpoint": "job-override"}},
			{Classification: "spark-env", Configurations: []Configuration{{Classification: "hive-site", Properties: map[string]string{"hive.exec.dynamic.partition.mode": "nonstrict"}}}},
		}},
	}
	server := map[string]string{"fs.s3a.endpoint": "server", "fs.s3a.access.key": "k", "hive.metastore.warehouse.dir": "file:///srv/wh", KeyLocalRoots: "/evil"}
	p, err := plan(j, server, []string{"/data"}, "/work")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"fs.s3a.endpoint": "job-param", "fs.s3a.access.key": "k", "hive.metastore.warehouse.dir": "s3://b/wh/",
		"hive.exec.dynamic.partition.mode": "nonstrict", KeyLocalRoots: "/work,/data,/srv/wh", "spark.driver.memory": "512m"}
	for k, v := range want {
		if p.Conf[k] != v {
			t.Errorf("%s = %q, want %q", k, p.Conf[k], v)
		}
	}
	if p.MemoryBytes != 512<<20 {
		t.Errorf("memory %d", p.MemoryBytes)
	}
	if _, err := plan(&JobRun{JobDriver: &JobDriver{SparkSubmitJobDriver: &SparkSubmitJobDriver{EntryPoint: "s3://b/app.py"}}}, nil, nil, "/w"); err == nil {
		t.Fatal("a .py entry point must be a validation error")
	}
}

// spark-submit's resource options become configuration (the runner's resources, Spark's executors); the
// option wins over --conf, as in spark-submit; bad values fail the plan (StartJobRun).
func TestPlanResourceOptions(t *testing.T) {
	job := func(params string) *JobRun {
		return &JobRun{JobDriver: &JobDriver{SparkSQLJobDriver: &SparkSQLJobDriver{EntryPoint: "s3://b/job.sql", SparkSQLParameters: params}}}
	}
	p, err := plan(job("--conf spark.driver.cores=4 --driver-cores 2 --executor-memory=4g --executor-cores 3 --num-executors 5 --jars x.jar"), nil, nil, "/w")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"spark.driver.cores": "2", "spark.executor.memory": "4g", "spark.executor.cores": "3", "spark.executor.instances": "5"} {
		if p.Conf[k] != v {
			t.Errorf("%s = %q, want %q", k, p.Conf[k], v)
		}
	}
	if len(p.Notes) != 1 || p.Notes[0] != "parameters accepted without effect on the local runner: --jars x.jar" {
		t.Errorf("notes %q", p.Notes)
	}
	for _, bad := range []string{"--driver-cores 0", "--driver-cores two", "--executor-cores -1", "--num-executors x", "--executor-memory lots"} {
		if _, err := plan(job(bad), nil, nil, "/w"); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
