package runner

import (
	"runtime/debug"
)

// version is set at link time: -ldflags "-X github.com/scimconform/scimconform/runner.version=v1.2.3".
var version = ""

// Version is the harness version: the link-time version, else the module
// version `go install ...@vX` recorded, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
