package k8s

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

const deployDir = "../../deploy/kubernetes"

// Every manifest under deploy/kubernetes decodes strictly into the typed Kubernetes objects (unknown or
// duplicate fields fail): the OpenAPI-level check that works without a cluster.
func TestDeployManifestsDecodeStrictly(t *testing.T) {
	n := 0
	err := filepath.WalkDir(deployDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") || filepath.Base(path) == "kustomization.yaml" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n += len(strictDecode(t, path, data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("only %d objects under %s", n, deployDir)
	}
}

// The example overlay rendered by kustomize (kubectl kustomize, when kubectl is installed) decodes strictly
// and has what the issue asks for.
func TestDeployOverlayRenders(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not installed: the rendered overlay is not checked (the manifests are, by TestDeployManifestsDecodeStrictly)")
	}
	out, err := exec.Command(kubectl, "kustomize", filepath.Join(deployDir, "overlays", "example")).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl kustomize: %v\n%s", err, out)
	}
	objs := strictDecode(t, "overlays/example", out)
	find := func(kind, ns, name string) runtime.Object {
		t.Helper()
		for _, o := range objs {
			m, _ := o.(interface {
				GetName() string
				GetNamespace() string
			})
			if o.GetObjectKind().GroupVersionKind().Kind == kind && m.GetName() == name && m.GetNamespace() == ns {
				return o
			}
		}
		t.Fatalf("no %s %s/%s in the rendered overlay", kind, ns, name)
		return nil
	}
	dep := find("Deployment", "waggle", "waggle-server").(*appsv1.Deployment)
	c := dep.Spec.Template.Spec.Containers[0]
	if c.ReadinessProbe.HTTPGet.Path != "/readyz" || c.LivenessProbe.HTTPGet.Path != "/healthz" {
		t.Errorf("probes %s %s", c.ReadinessProbe.HTTPGet.Path, c.LivenessProbe.HTTPGet.Path)
	}
	if c.Image != "ghcr.io/waggle-dev/waggle:0.1.0" || !*dep.Spec.Template.Spec.SecurityContext.RunAsNonRoot {
		t.Errorf("image %s / non-root", c.Image)
	}
	secretRefs := 0
	for _, e := range c.Env {
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil && e.ValueFrom.SecretKeyRef.Name == "waggle-database" {
			secretRefs++
		}
	}
	if secretRefs != 2 {
		t.Errorf("%d database secret refs, want metastore and queue", secretRefs)
	}
	for _, ns := range []string{"waggle", "emr"} {
		hms := find("Service", ns, "hive-metastore").(*corev1.Service)
		if hms.Spec.Ports[0].Port != 9083 {
			t.Errorf("%s/hive-metastore port %d", ns, hms.Spec.Ports[0].Port)
		}
	}
	if find("Service", "waggle", "waggle").(*corev1.Service).Spec.Ports[0].Port != 8080 {
		t.Error("API service port")
	}
	find("PodDisruptionBudget", "waggle", "waggle-server")
	find("HorizontalPodAutoscaler", "waggle", "waggle-server")

	// Least privilege: the runner's Role grants exactly the verbs the runner uses, in the job namespace only.
	role := find("Role", "emr", "waggle-runner").(*rbacv1.Role)
	want := map[string]string{
		"batch/jobs": "create,get,list,watch,delete", "/pods": "get,list,watch", "/pods/log": "get",
		"/configmaps": "create,get,update", "/secrets": "create,get,update", "/serviceaccounts": "create,get,update",
	}
	got := map[string]string{}
	for _, r := range role.Rules {
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				got[g+"/"+res] = strings.Join(r.Verbs, ",")
			}
		}
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Role waggle-runner: %s verbs %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("Role waggle-runner grants more than the runner uses: %v", got)
	}
	for _, o := range objs {
		if k := o.GetObjectKind().GroupVersionKind().Kind; k == "ClusterRole" || k == "ClusterRoleBinding" {
			t.Errorf("the example overlay has a %s: the runner needs none when its namespaces are listed", k)
		}
	}
	rb := find("RoleBinding", "emr", "waggle-runner").(*rbacv1.RoleBinding)
	if s := rb.Subjects[0]; s.Kind != "ServiceAccount" || s.Name != "waggle-server" || s.Namespace != "waggle" {
		t.Errorf("RoleBinding subject %+v", s)
	}
}

// The check has teeth: a misspelt field fails.
func TestStrictDecodeRejectsUnknownFields(t *testing.T) {
	bad := []byte("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  prots:\n  - port: 1\n")
	ft := &testing.T{}
	done := make(chan struct{})
	go func() { defer close(done); strictDecode(ft, "bad", bad) }()
	<-done
	if !ft.Failed() {
		t.Fatal("a misspelt field (prots) decoded")
	}
}
