package hms
import (
	"testing"
	"github.com/beltran/gohive"
)
func TestX(t *testing.T){ _ = gohive.NewMetastoreConnectConfiguration() }
