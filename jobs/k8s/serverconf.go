package k8s

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Server configuration keys of the Kubernetes runner (the server's hive-site.xml / spark-defaults.conf,
// see deploy/kubernetes/base/configmap.yaml). None of them reaches a job's pod.
const (
	KeyRunner           = "waggle.jobs.runner" // "local" (default) or "kubernetes"
	KeyImage            = "waggle.kubernetes.image"
	KeySparkImage       = "waggle.kubernetes.spark.image"
	KeyNamespaces       = "waggle.kubernetes.namespaces" // comma-separated
	KeyDefaultNamespace = "waggle.kubernetes.default.namespace"
	KeyTTLSeconds       = "waggle.kubernetes.ttl.seconds"
	KeyMaxDeadline      = "waggle.kubernetes.max.deadline.seconds"
	KeyMetastoreURIs    = "waggle.kubernetes.spark.metastore.uris"
	// KeyKubeconfig names a kubeconfig file (its current context) for a server outside the cluster;
	// unset, the server uses its pod's ServiceAccount (rest.InClusterConfig).
	KeyKubeconfig = "waggle.kubernetes.kubeconfig"
)

// RESTConfig returns the connection to the API server: the kubeconfig file named by KeyKubeconfig, else
// the in-cluster configuration.
func RESTConfig(conf map[string]string) (*rest.Config, error) {
	if path := conf[KeyKubeconfig]; path != "" {
		rc, err := clientcmd.BuildConfigFromFlags("", path)
		if err != nil {
			return nil, fmt.Errorf("%s=%s: %w", KeyKubeconfig, path, err)
		}
		return rc, nil
	}
	rc, err := rest.InClusterConfig()
	if err != nil {
		return nil, fmt.Errorf("%s=kubernetes: not running in a cluster (%w); set %s to a kubeconfig file", KeyRunner, err, KeyKubeconfig)
	}
	return rc, nil
}

// NewFromConf builds the runner the server uses with waggle.jobs.runner=kubernetes: ConfigFromConf and a
// clientset on RESTConfig. Close it when done.
func NewFromConf(conf map[string]string, log *slog.Logger) (*Runner, error) {
	cfg, err := ConfigFromConf(conf)
	if err != nil {
		return nil, err
	}
	rc, err := RESTConfig(conf)
	if err != nil {
		return nil, err
	}
	cs, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	cfg.Logger = log
	return New(cs, cfg), nil
}

// ConfigFromConf reads a runner Config from the server's configuration (see NewFromConf).
func ConfigFromConf(conf map[string]string) (Config, error) {
	var cfg Config
	cfg.Image = conf[KeyImage]
	if cfg.Image == "" {
		return cfg, fmt.Errorf("%s is required with %s=kubernetes", KeyImage, KeyRunner)
	}
	cfg.SparkImage = conf[KeySparkImage]
	cfg.MetastoreURIs = conf[KeyMetastoreURIs]
	for _, ns := range strings.Split(conf[KeyNamespaces], ",") {
		if ns = strings.TrimSpace(ns); ns != "" {
			if !dnsLabelRE.MatchString(ns) {
				return cfg, fmt.Errorf("%s: %q is not a namespace name", KeyNamespaces, ns)
			}
			cfg.Namespaces = append(cfg.Namespaces, ns)
		}
	}
	cfg.DefaultNamespace = conf[KeyDefaultNamespace]
	secs := func(key string) (time.Duration, error) {
		v := conf[key]
		if v == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%s=%s: want a positive number of seconds", key, v)
		}
		return time.Duration(n) * time.Second, nil
	}
	var err error
	if cfg.TTLAfterFinished, err = secs(KeyTTLSeconds); err != nil {
		return cfg, err
	}
	if cfg.ActiveDeadline, err = secs(KeyMaxDeadline); err != nil {
		return cfg, err
	}
	return cfg, nil
}
