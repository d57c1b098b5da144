package sigv4

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Environment variables read by CredentialsFromEnv.
const (
	EnvAccessKeyID     = "WAGGLE_API_ACCESS_KEY_ID"
	EnvSecretAccessKey = "WAGGLE_API_SECRET_ACCESS_KEY"
	EnvIdentity        = "WAGGLE_API_IDENTITY"
)

// LoadCredentials reads a users file (format in the package documentation).
// warning is non-empty when the file is readable by group or others: the
// keys are still returned, and the caller should print the warning. A file
// with no keys, a malformed line or a duplicated access key id is an error;
// error messages name the file and line, never a secret.
func LoadCredentials(path string) (creds []Credential, warning string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("sigv4: users file: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
		warning = fmt.Sprintf("users file %s is accessible by group or others (mode %04o); it holds secret keys: chmod 600 it", path, fi.Mode().Perm())
	}
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) < 2 || len(fields) > 3 {
			return nil, warning, fmt.Errorf("sigv4: %s:%d: want ACCESS_KEY_ID SECRET_ACCESS_KEY [IDENTITY], got %d fields", path, line, len(fields))
		}
		c := Credential{AccessKeyID: fields[0], SecretAccessKey: fields[1], Identity: fields[0]}
		if len(fields) == 3 {
			c.Identity = fields[2]
		}
		if prev, dup := seen[c.AccessKeyID]; dup {
			return nil, warning, fmt.Errorf("sigv4: %s:%d: access key id %s already defined on line %d", path, line, c.AccessKeyID, prev)
		}
		seen[c.AccessKeyID] = line
		creds = append(creds, c)
	}
	if err := sc.Err(); err != nil {
		return nil, warning, fmt.Errorf("sigv4: users file %s: %w", path, err)
	}
	if len(creds) == 0 {
		return nil, warning, fmt.Errorf("sigv4: users file %s defines no access keys", path)
	}
	return creds, warning, nil
}

// CredentialsFromEnv returns the key given by WAGGLE_API_ACCESS_KEY_ID,
// WAGGLE_API_SECRET_ACCESS_KEY and (optional) WAGGLE_API_IDENTITY, or nil
// when neither key variable is set. Setting only one of them is an error.
func CredentialsFromEnv() ([]Credential, error) {
	id, secret := os.Getenv(EnvAccessKeyID), os.Getenv(EnvSecretAccessKey)
	if id == "" && secret == "" {
		return nil, nil
	}
	if id == "" || secret == "" {
		return nil, errors.New("sigv4: " + EnvAccessKeyID + " and " + EnvSecretAccessKey + " must be set together")
	}
	c := Credential{AccessKeyID: id, SecretAccessKey: secret, Identity: os.Getenv(EnvIdentity)}
	if c.Identity == "" {
		c.Identity = id
	}
	return []Credential{c}, nil
}
