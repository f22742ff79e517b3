package selftest_test

import (
	"os"
	"testing"

	"github.com/scimconform/scimconform/internal/selftest"
)

func TestMain(m *testing.M) { os.Exit(selftest.Main(m)) }
