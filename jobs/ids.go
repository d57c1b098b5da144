package jobs

import (
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
)

const base36 = "0123456789abcdefghijklmnopqrstuvwxyz"

// randomID returns n random [0-9a-z] characters.
func randomID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	for i := range b {
		b[i] = base36[int(b[i])%len(base36)]
	}
	return string(b)
}

// newJobRunID returns a 19-character id shaped like EMR's ("00000003" + 11 random characters).
func newJobRunID() string { return "00000003" + randomID(11) }

// newVirtualClusterID returns a 25-character id like EMR's.
func newVirtualClusterID() string { return randomID(25) }

// newTemplateID returns a 19-character template id.
func newTemplateID() string { return randomID(19) }

// arns builds and parses the service's ARNs.
type arns struct {
	region, account string
}

func (a arns) prefix() string {
	return fmt.Sprintf("arn:aws:emr-containers:%s:%s:", a.region, a.account)
}

func (a arns) virtualCluster(id string) string { return a.prefix() + "/virtualclusters/" + id }
func (a arns) jobRun(vc, id string) string {
	return a.prefix() + "/virtualclusters/" + vc + "/jobruns/" + id
}
func (a arns) jobTemplate(id string) string { return a.prefix() + "/jobtemplates/" + id }

// resourceRef is what an ARN names.
type resourceRef struct {
	kind string // "virtualcluster", "jobrun", "jobtemplate"
	vc   string
	id   string
}

var arnRE = regexp.MustCompile(`^arn:aws[a-zA-Z0-9-]*:emr-containers:[^:]+:(\d{12}):(/.+)$`)

// parseARN resolves an emr-containers ARN.
func parseARN(arn string) (resourceRef, error) {
	m := arnRE.FindStringSubmatch(arn)
	if m == nil {
		return resourceRef{}, validationf("invalid resource ARN %q", arn)
	}
	parts := strings.Split(strings.TrimPrefix(m[2], "/"), "/")
	switch {
	case len(parts) == 2 && parts[0] == "virtualclusters":
		return resourceRef{kind: "virtualcluster", id: parts[1]}, nil
	case len(parts) == 4 && parts[0] == "virtualclusters" && parts[2] == "jobruns":
		return resourceRef{kind: "jobrun", vc: parts[1], id: parts[3]}, nil
	case len(parts) == 2 && parts[0] == "jobtemplates":
		return resourceRef{kind: "jobtemplate", id: parts[1]}, nil
	}
	return resourceRef{}, validationf("resource ARN %q names no taggable resource", arn)
}

// Patterns of the model's scalar shapes (botocore checks only min lengths, so the server checks these).
var (
	resourceIDRE    = regexp.MustCompile(`^[0-9a-z]{1,64}$`)
	resourceNameRE  = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]{1,64}$`)
	clientTokenRE   = regexp.MustCompile(`^.*\S.*$`)
	iamRoleArnRE    = regexp.MustCompile(`^arn:(aws[a-zA-Z0-9-]*):iam::(\d{12})?:(role((/)|(/[\x21-\x7F]+/))[\w+=,.@-]+)$`)
	releaseLabelRE  = regexp.MustCompile(`^[\.\-_/A-Za-z0-9]{1,64}$`)
	clusterIDRE     = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9\-_]*$`)
	namespaceRE     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	templateParamRE = regexp.MustCompile(`^[\.\-_\#A-Za-z0-9]{1,512}$`)
)

func checkID(field, v string) error {
	if !resourceIDRE.MatchString(v) {
		return validationf("%s %q must match [0-9a-z]+ (1-64 characters)", field, v)
	}
	return nil
}

func checkName(field, v string, required bool) error {
	if v == "" && !required {
		return nil
	}
	if !resourceNameRE.MatchString(v) {
		return validationf("%s %q must be 1-64 characters of [.-_/#A-Za-z0-9]", field, v)
	}
	return nil
}

func checkClientToken(v string) error {
	if len(v) < 1 || len(v) > 64 || !clientTokenRE.MatchString(v) {
		return validationf("clientToken must be 1-64 characters and not blank")
	}
	return nil
}

func checkTags(tags map[string]string) error {
	if len(tags) > 50 {
		return validationf("at most 50 tags are allowed, got %d", len(tags))
	}
	for k, v := range tags {
		if len(k) < 1 || len(k) > 128 {
			return validationf("tag key %q must be 1-128 characters", k)
		}
		if len(v) > 256 {
			return validationf("tag value for %q must be at most 256 characters", k)
		}
	}
	return nil
}
