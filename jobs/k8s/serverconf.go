package k8s

import (
	"fmt"
	"strconv"
	"strings"
	"time"
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
)

// ConfigFromConf reads a runner Config from the server's configuration. The server wires it as
//
//	rc, _ := rest.InClusterConfig(); cs, _ := kubernetes.NewForConfig(rc); runner := k8s.New(cs, cfg)
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
