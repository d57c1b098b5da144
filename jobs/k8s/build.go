package k8s

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/waggle-dev/waggle/config"
	"github.com/waggle-dev/waggle/jobs"
)

// Labels and annotations on every object the runner creates.
const (
	LabelManagedBy      = "app.kubernetes.io/managed-by"
	ManagedByWaggle     = "waggle"
	LabelJobID          = "waggle.dev/job-id"
	LabelAttempt        = "waggle.dev/attempt"
	LabelVirtualCluster = "waggle.dev/virtual-cluster-id"
	LabelEngine         = "waggle.dev/engine"
	// AnnotationMainContainer names the container whose exit status is the attempt's (sidecars do not count).
	AnnotationMainContainer = "waggle.dev/main-container"
	// AnnotationExecutionRole records the job's execution role on the Job and the ServiceAccount.
	AnnotationExecutionRole = "waggle.dev/execution-role-arn"
	// AnnotationIRSARole is the annotation EKS's pod identity webhook reads to give a pod the role's credentials.
	AnnotationIRSARole = "eks.amazonaws.com/role-arn"
)

// Configuration keys the runner reads from the attempt's configuration. An attempt's placement (namespace,
// virtual cluster, execution role) is not among them: it comes from jobs.AttemptSpec, which the job service
// fills from the job run and its virtual cluster, so a job cannot pick another namespace or role.
const (
	KeyEngine = "waggle.engine" // "waggle" (default) or "spark"
	// KeyActiveDeadline bounds an attempt's run time in seconds (Job activeDeadlineSeconds); the runner's
	// Config.ActiveDeadline is the default and the maximum.
	KeyActiveDeadline = "waggle.kubernetes.activedeadlineseconds"

	keyDriverCores       = "spark.driver.cores"
	keyDriverMemory      = "spark.driver.memory"
	keyDriverOverhead    = "spark.driver.memoryOverhead"
	keyDriverLimitCores  = "spark.kubernetes.driver.limit.cores"
	keyDriverRequestCore = "spark.kubernetes.driver.request.cores"
	keySparkImage        = "spark.kubernetes.container.image"
	keySparkDriverImage  = "spark.kubernetes.driver.container.image"
)

// Engines.
const (
	EngineWaggle = "waggle"
	EngineSpark  = "spark"
)

// Container names: the waggle engine's, and the Spark driver's (EMR on EKS's name, so `kubectl logs -c`
// commands written for EMR work).
const (
	ContainerWaggle = "waggle"
	ContainerSpark  = "spark-kubernetes-driver"
)

// Paths inside the pods.
const (
	waggleBinary  = "/usr/local/bin/waggle"
	workDir       = "/work"
	confDir       = "/etc/waggle/conf"
	sparkJobDir   = "/opt/waggle/job"
	sparkConfDir  = "/opt/waggle/spark-conf"
	sparkDriverIP = "SPARK_DRIVER_POD_IP"
	podNameEnv    = "WAGGLE_POD_NAME"
	waggleUID     = 65532 // the image's non-root user
	sparkUID      = 185   // the apache/spark image's spark user
)

// Target is where an attempt runs and under which identity.
type Target struct {
	Namespace        string
	VirtualClusterID string
	ExecutionRoleArn string
}

// TargetOf reads the target from the attempt's placement (spec.Namespace, VirtualClusterID,
// ExecutionRoleArn — never from its configuration); def is the namespace when the spec names none.
func TargetOf(spec jobs.AttemptSpec, def string) Target {
	t := Target{Namespace: spec.Namespace, VirtualClusterID: spec.VirtualClusterID, ExecutionRoleArn: spec.ExecutionRoleArn}
	if t.Namespace == "" {
		t.Namespace = def
	}
	return t
}

// Objects are what one attempt needs in the cluster, in creation order.
type Objects struct {
	ServiceAccount *corev1.ServiceAccount // nil: the namespace's default (no execution role)
	ConfigMap      *corev1.ConfigMap
	Secret         *corev1.Secret // nil: no secret keys
	Job            *batchv1.Job
	MainContainer  string
}

// BuildOptions are the cluster-wide settings the builder needs (a subset of Config).
type BuildOptions struct {
	Image            string            // the waggle image
	ImagePullPolicy  corev1.PullPolicy // default IfNotPresent
	SparkImage       string            // default apache/spark:3.5.3
	MetastoreURIs    string            // Spark's spark.hive.metastore.uris default: thrift://hive-metastore:9083
	ActiveDeadline   time.Duration     // default and maximum run time (default 24h)
	TTLAfterFinished time.Duration     // how long finished Jobs stay for inspection (default 1h)
	TerminationGrace time.Duration     // SIGTERM → SIGKILL on cancellation (default 30s)
	NodeSelector     map[string]string
	Tolerations      []corev1.Toleration
}

func (o *BuildOptions) defaults() {
	if o.ImagePullPolicy == "" {
		o.ImagePullPolicy = corev1.PullIfNotPresent
	}
	if o.SparkImage == "" {
		o.SparkImage = "apache/spark:3.5.3"
	}
	if o.MetastoreURIs == "" {
		o.MetastoreURIs = "thrift://hive-metastore:9083"
	}
	if o.ActiveDeadline <= 0 {
		o.ActiveDeadline = 24 * time.Hour
	}
	if o.TTLAfterFinished <= 0 {
		o.TTLAfterFinished = time.Hour
	}
	if o.TerminationGrace <= 0 {
		o.TerminationGrace = 30 * time.Second
	}
}

var dnsLabelRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// dnsLabel turns s into a valid DNS-1123 label (lowercase alphanumerics and '-', at most max characters);
// when it had to change s, a short hash of the original keeps distinct inputs distinct.
func dnsLabel(s string, max int) string {
	if len(s) <= max && dnsLabelRE.MatchString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	sum := sha256.Sum256([]byte(s))
	h := hex.EncodeToString(sum[:])[:8]
	base := strings.Trim(b.String(), "-")
	if len(base) > max-9 {
		base = strings.Trim(base[:max-9], "-")
	}
	if base == "" {
		return "x-" + h
	}
	return base + "-" + h
}

// JobName is the name of an attempt's Job (and the prefix of its pod's): the attempt id, EMR's driver pod
// name (spark-<job id>-driver[-N]).
func JobName(spec jobs.AttemptSpec) string {
	id := spec.AttemptID
	if id == "" {
		id = fmt.Sprintf("waggle-%s-%d", spec.JobID, spec.Number)
	}
	return dnsLabel(id, 52) // the Job controller appends -xxxxx for the pod
}

// ServiceAccountName is the ServiceAccount of an execution role: waggle-<role name>-<hash of the ARN>.
func ServiceAccountName(roleArn string) string {
	name := roleArn[strings.LastIndex(roleArn, "/")+1:]
	sum := sha256.Sum256([]byte(roleArn))
	return dnsLabel("waggle-"+strings.ToLower(name), 54) + "-" + hex.EncodeToString(sum[:])[:8]
}

// isSecretKey reports whether a configuration key holds a secret (it goes to the Secret, never the ConfigMap
// or a command line).
func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"secret", "password", "token", "access.key", "accesskey", "credential"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// Labels returns the labels linking an object to its job run.
func Labels(spec jobs.AttemptSpec, t Target, engine string) map[string]string {
	l := map[string]string{
		LabelManagedBy: ManagedByWaggle,
		LabelJobID:     spec.JobID,
		LabelAttempt:   strconv.Itoa(spec.Number),
		LabelEngine:    engine,
	}
	if t.VirtualClusterID != "" {
		l[LabelVirtualCluster] = t.VirtualClusterID
	}
	return l
}

// EngineOf returns the attempt's engine.
func EngineOf(spec jobs.AttemptSpec) (string, error) {
	switch e := strings.ToLower(strings.TrimSpace(spec.Conf[KeyEngine])); e {
	case "", EngineWaggle, "duckdb":
		return EngineWaggle, nil
	case EngineSpark:
		return EngineSpark, nil
	default:
		return "", fmt.Errorf("waggle.engine=%s: the engines are waggle and spark", e)
	}
}

// Build returns the objects of one attempt: script is the entry point's content (spec.Script's). It is a
// pure function of its inputs, so the golden tests pin every field.
func Build(spec jobs.AttemptSpec, script []byte, t Target, opts BuildOptions) (*Objects, error) {
	opts.defaults()
	if t.Namespace == "" {
		return nil, fmt.Errorf("no namespace for job %s: the virtual cluster names none and the runner has no default", spec.JobID)
	}
	engine, err := EngineOf(spec)
	if err != nil {
		return nil, err
	}
	if engine == EngineWaggle && opts.Image == "" {
		return nil, fmt.Errorf("the Kubernetes runner has no waggle image configured")
	}
	if len(script) > 900<<10 {
		return nil, fmt.Errorf("the script is %d bytes: ConfigMaps hold at most 1 MiB (fetching scripts from S3 in the pod is not implemented)", len(script))
	}
	name := JobName(spec)
	labels := Labels(spec, t, engine)
	o := &Objects{}
	meta := func(n string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Name: n, Namespace: t.Namespace, Labels: copyMap(labels)}
	}
	saName := ""
	if t.ExecutionRoleArn != "" {
		saName = ServiceAccountName(t.ExecutionRoleArn)
		o.ServiceAccount = &corev1.ServiceAccount{
			TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
			ObjectMeta: metav1.ObjectMeta{Name: saName, Namespace: t.Namespace,
				Labels:      map[string]string{LabelManagedBy: ManagedByWaggle},
				Annotations: map[string]string{AnnotationIRSARole: t.ExecutionRoleArn, AnnotationExecutionRole: t.ExecutionRoleArn}},
		}
	}

	res, err := resources(spec, engine)
	if err != nil {
		return nil, err
	}
	scriptName := path.Base(spec.Script)
	if scriptName == "." || scriptName == "/" || scriptName == "" {
		scriptName = "script.sql"
	}
	plain, secret := splitConf(podConf(spec, engine, res))
	for k, v := range secret {
		if strings.ContainsAny(v, "\r\n") {
			return nil, fmt.Errorf("the value of secret key %s contains a line break, which spark-defaults.conf cannot hold", k)
		}
	}

	o.ConfigMap = &corev1.ConfigMap{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, ObjectMeta: meta(name + "-conf"),
		Data: map[string]string{"script": string(script)}}
	if len(secret) > 0 {
		o.Secret = &corev1.Secret{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"}, ObjectMeta: meta(name + "-secret"),
			Type: corev1.SecretTypeOpaque, StringData: map[string]string{"spark-defaults.conf": sparkDefaults(secret, engine)}}
	}

	var pod corev1.PodSpec
	if engine == EngineSpark {
		pod, o.MainContainer = sparkPod(spec, t, opts, name, scriptName, saName, res, plain, o.Secret != nil)
	} else {
		site, err := hiveSite(plain)
		if err != nil {
			return nil, err
		}
		o.ConfigMap.Data["hive-site.xml"] = site
		pod, o.MainContainer = wagglePod(spec, opts, name, scriptName, saName, res, o.Secret != nil)
	}
	pod.RestartPolicy = corev1.RestartPolicyNever
	pod.TerminationGracePeriodSeconds = ptr(int64(opts.TerminationGrace.Seconds()))
	pod.NodeSelector = opts.NodeSelector
	pod.Tolerations = opts.Tolerations

	deadline := int64(opts.ActiveDeadline.Seconds())
	if v := spec.Conf[KeyActiveDeadline]; v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%s=%s: want a positive number of seconds", KeyActiveDeadline, v)
		}
		deadline = min(n, deadline)
	}
	annotations := map[string]string{AnnotationMainContainer: o.MainContainer}
	if t.ExecutionRoleArn != "" {
		annotations[AnnotationExecutionRole] = t.ExecutionRoleArn
	}
	jm := meta(name)
	jm.Annotations = copyMap(annotations)
	o.Job = &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: jm,
		Spec: batchv1.JobSpec{
			// Attempts and retries are the job service's: the Job never starts a second pod.
			BackoffLimit:            ptr(int32(0)),
			ActiveDeadlineSeconds:   &deadline,
			TTLSecondsAfterFinished: ptr(int32(opts.TTLAfterFinished.Seconds())),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: copyMap(labels), Annotations: copyMap(annotations)},
				Spec:       pod,
			},
		},
	}
	return o, nil
}

// driverResources are the driver's CPU and memory.
type driverResources struct {
	Cores      string // CPU request (Kubernetes quantity)
	LimitCores string // CPU limit, "" for none
	Memory     int64  // the process's memory (bytes): the waggle child's limit, or the JVM heap
	Container  int64  // the container's memory request = limit (bytes)
	MemoryArg  string // as the job gave it (spark.driver.memory), for --driver-memory
}

// resources derives the driver's resources from --driver-memory/--driver-cores (which the job service puts in
// spark.driver.memory/spark.driver.cores) and spark.kubernetes.driver.{request,limit}.cores.
func resources(spec jobs.AttemptSpec, engine string) (driverResources, error) {
	r := driverResources{Cores: "1", Memory: spec.Memory, MemoryArg: spec.Conf[keyDriverMemory]}
	if v := spec.Conf[keyDriverCores]; v != "" {
		if n, err := strconv.Atoi(v); err != nil || n <= 0 {
			return r, fmt.Errorf("%s=%s: want a positive integer", keyDriverCores, v)
		}
		r.Cores = v
	}
	if v := spec.Conf[keyDriverRequestCore]; v != "" {
		if _, err := resource.ParseQuantity(v); err != nil {
			return r, fmt.Errorf("%s=%s: %v", keyDriverRequestCore, v, err)
		}
		r.Cores = v
	}
	if v := spec.Conf[keyDriverLimitCores]; v != "" {
		if _, err := resource.ParseQuantity(v); err != nil {
			return r, fmt.Errorf("%s=%s: %v", keyDriverLimitCores, v, err)
		}
		r.LimitCores = v
	}
	if r.Memory <= 0 {
		r.Memory = 4 << 30
	}
	if r.MemoryArg == "" {
		r.MemoryArg = fmt.Sprintf("%dm", r.Memory>>20)
	}
	r.Container = r.Memory
	overhead := int64(0)
	if engine == EngineSpark {
		// Spark's rule for the driver container: heap + max(384 MiB, 10%).
		overhead = max(384<<20, r.Memory/10)
	}
	if v := spec.Conf[keyDriverOverhead]; v != "" {
		n, err := parseJVMSize(v)
		if err != nil {
			return r, fmt.Errorf("%s=%s: %v", keyDriverOverhead, v, err)
		}
		overhead = n
	}
	r.Container += overhead
	return r, nil
}

// parseJVMSize parses "512m", "2g", "1024" (MiB), like spark.driver.memoryOverhead.
func parseJVMSize(s string) (int64, error) {
	s = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "b")
	mult := int64(1 << 20)
	if s != "" {
		switch s[len(s)-1] {
		case 'k':
			mult, s = 1<<10, s[:len(s)-1]
		case 'm':
			s = s[:len(s)-1]
		case 'g':
			mult, s = 1<<30, s[:len(s)-1]
		case 't':
			mult, s = 1<<40, s[:len(s)-1]
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("not a size")
	}
	return n * mult, nil
}

func (r driverResources) requirements() corev1.ResourceRequirements {
	mem := *resource.NewQuantity(r.Container, resource.BinarySI)
	if r.Container%(1<<20) == 0 {
		mem = resource.MustParse(fmt.Sprintf("%dMi", r.Container>>20))
	}
	rr := corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(r.Cores), corev1.ResourceMemory: mem},
		Limits:   corev1.ResourceList{corev1.ResourceMemory: mem},
	}
	if r.LimitCores != "" {
		rr.Limits[corev1.ResourceCPU] = resource.MustParse(r.LimitCores)
	}
	return rr
}

// podConf is the configuration the pod's process gets: the job's, without the server-local and placement
// keys, with the pod's own work dir as its local root.
func podConf(spec jobs.AttemptSpec, engine string, r driverResources) map[string]string {
	conf := map[string]string{}
	for k, v := range spec.Conf {
		switch {
		case k == KeyActiveDeadline || k == KeyEngine:
		case k == config.WaggleHome || k == jobs.KeyLocalRoots:
		case strings.HasPrefix(k, "waggle.kubernetes."):
		default:
			conf[k] = v
		}
	}
	if engine == EngineWaggle {
		conf[jobs.KeyLocalRoots] = workDir
		if conf[config.Threads] == "" {
			if n, err := strconv.Atoi(r.Cores); err == nil {
				conf[config.Threads] = strconv.Itoa(n)
			}
		}
	}
	return conf
}

func splitConf(conf map[string]string) (plain, secret map[string]string) {
	plain, secret = map[string]string{}, map[string]string{}
	for k, v := range conf {
		if isSecretKey(k) {
			secret[k] = v
		} else {
			plain[k] = v
		}
	}
	return plain, secret
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// hiveSite renders conf as a hive-site.xml.
func hiveSite(conf map[string]string) (string, error) {
	type prop struct {
		Name  string `xml:"name"`
		Value string `xml:"value"`
	}
	site := struct {
		XMLName xml.Name `xml:"configuration"`
		Props   []prop   `xml:"property"`
	}{}
	for _, k := range sortedKeys(conf) {
		site.Props = append(site.Props, prop{k, conf[k]})
	}
	data, err := xml.MarshalIndent(site, "", "  ")
	if err != nil {
		return "", err
	}
	return xml.Header + string(data) + "\n", nil
}

// sparkDefaults renders conf as spark-defaults.conf (`key value` lines). For the Spark engine, keys are
// spelled the way Spark reads them.
func sparkDefaults(conf map[string]string, engine string) string {
	var b strings.Builder
	for _, k := range sortedKeys(conf) {
		key := k
		if engine == EngineSpark {
			key = sparkKey(k)
			if key == "" {
				continue
			}
		}
		fmt.Fprintf(&b, "%s %s\n", key, conf[k])
	}
	return b.String()
}

// sparkKey spells a normalized Waggle key the way Spark reads it (config.Normalize in reverse); "" for keys
// that mean nothing to Spark.
func sparkKey(k string) string {
	switch {
	case k == config.Warehouse:
		return "spark.sql.warehouse.dir"
	case strings.HasPrefix(k, "spark."):
		return k
	case strings.HasPrefix(k, "waggle."):
		return ""
	case strings.HasPrefix(k, "hive."):
		return "spark." + k
	default: // fs.s3a.*, javax.jdo.*, ...: Hadoop configuration
		return "spark.hadoop." + k
	}
}

func ptr[T any](v T) *T { return &v }

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// restrictedSecurity is the container security context of the restricted Pod Security Standard.
func restrictedSecurity(readOnlyRoot bool) *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr(false),
		ReadOnlyRootFilesystem:   ptr(readOnlyRoot),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}

func podSecurity(uid int64) *corev1.PodSecurityContext {
	return &corev1.PodSecurityContext{
		RunAsNonRoot:   ptr(true),
		RunAsUser:      ptr(uid),
		RunAsGroup:     ptr(uid),
		FSGroup:        ptr(uid),
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
}

// wagglePod is the pod of the waggle engine: the wrapper running `waggle run`, the script mounted in its work
// dir, the configuration as hive-site.xml (ConfigMap) + spark-defaults.conf (Secret) in WAGGLE_CONF_DIR.
func wagglePod(spec jobs.AttemptSpec, opts BuildOptions, name, scriptName, sa string, r driverResources, withSecret bool) (corev1.PodSpec, string) {
	args := spec.RunArgs(scriptName)
	sources := []corev1.VolumeProjection{{ConfigMap: &corev1.ConfigMapProjection{
		LocalObjectReference: corev1.LocalObjectReference{Name: name + "-conf"},
		Items:                []corev1.KeyToPath{{Key: "hive-site.xml", Path: "hive-site.xml"}}}}}
	if withSecret {
		sources = append(sources, corev1.VolumeProjection{Secret: &corev1.SecretProjection{
			LocalObjectReference: corev1.LocalObjectReference{Name: name + "-secret"},
			Items:                []corev1.KeyToPath{{Key: "spark-defaults.conf", Path: "spark-defaults.conf"}}}})
	}
	c := corev1.Container{
		Name:            ContainerWaggle,
		Image:           opts.Image,
		ImagePullPolicy: opts.ImagePullPolicy,
		Command:         []string{"/bin/sh", "-c", Wrapper, "waggle-pod"},
		Args:            args,
		WorkingDir:      workDir,
		Env: []corev1.EnvVar{
			{Name: "WAGGLE_CONF_DIR", Value: confDir},
			{Name: "WAGGLE_HOME", Value: workDir + "/.waggle"},
			{Name: "HOME", Value: workDir},
			{Name: "TMPDIR", Value: "/tmp"},
		},
		Resources:       r.requirements(),
		SecurityContext: restrictedSecurity(true),
		VolumeMounts: []corev1.VolumeMount{
			{Name: "work", MountPath: workDir},
			{Name: "tmp", MountPath: "/tmp"},
			{Name: "conf", MountPath: confDir, ReadOnly: true},
			{Name: "script", MountPath: workDir + "/" + scriptName, SubPath: scriptName, ReadOnly: true},
		},
	}
	return corev1.PodSpec{
		ServiceAccountName: sa,
		// The engine never calls the Kubernetes API; IRSA's web identity token is projected by EKS's webhook.
		AutomountServiceAccountToken: ptr(false),
		EnableServiceLinks:           ptr(false),
		SecurityContext:              podSecurity(waggleUID),
		Containers:                   []corev1.Container{c},
		Volumes: []corev1.Volume{
			{Name: "work", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
			{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
			{Name: "conf", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: sources}}},
			{Name: "script", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
				LocalObjectReference: corev1.LocalObjectReference{Name: name + "-conf"},
				Items:                []corev1.KeyToPath{{Key: "script", Path: scriptName}}}}},
		},
	}, ContainerWaggle
}
