// Package k8s runs job attempts on Kubernetes: each attempt of a job run is a batch/v1 Job in the virtual
// cluster's namespace whose pod runs `waggle run` (or, with --conf waggle.engine=spark, a Spark driver pod
// running spark-sql in client mode), with the script and configuration from a ConfigMap (secret keys in a
// Secret), resources from the job's driver settings, and a ServiceAccount per execution role annotated for
// IRSA. State comes from informers on Jobs and Pods (never polling loops); statement events and logs come
// back through the pod logs API.
//
// The event channel. The waggle container's command is a small POSIX sh wrapper ([Wrapper]) that runs
// `waggle run SCRIPT --events /dev/fd/3` with its stdout, stderr and events each going through a FIFO and
// `sed -u` that tags every line: "O|" stdout, "E|" stderr (both on the container's stdout) and "J|" jobevent
// JSON lines (alone on the container's stderr, so no other writer can split a long event line). The runner
// follows the container log and demultiplexes it back into the attempt's stdout and stderr files and
// jobevent events ([Demux]). The Spark driver's output is parsed instead ([SparkSQLParser]).
//
// The package imports jobs, jobevent and config only; never the engine (DESIGN.md, structure rules).
package k8s
