package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// An XLA CPU plugin that an earlier setup installed is replaced by the
// first pinned wheel's; any other plugin is kept, and a failed download
// keeps the old one.
func TestSetupReplacesSupersededCPUPlugin(t *testing.T) {
	m := newFakeMachine(t)
	newW := m.fakeWheel("fastatomstruct-xla-cpu", "2026.6.23", "fastatomstruct_xla_cpu/libpjrt_cpu.so", map[string]string{
		"fastatomstruct_xla_cpu/libpjrt_cpu.so": "the newer plugin",
	})
	swap(t, &cpuWheels, []wheel{newW})
	sum := sha256.Sum256([]byte("the older plugin"))
	swap(t, &supersededPlugins, map[string]string{hex.EncodeToString(sum[:]): "xla-cpu-pjrt 0.0.1"})
	plugin := m.file(filepath.Join(m.goXLA(), "pjrt_c_api_cpu_plugin.so"), "the older plugin")

	got, err := ensureCPUPlugin()
	if err != nil || got != plugin {
		t.Fatalf("ensureCPUPlugin() = %q, %v; want %q", got, err, plugin)
	}
	if b, _ := os.ReadFile(plugin); string(b) != "the newer plugin" {
		t.Errorf("plugin holds %q after setup, want the newer one", b)
	}

	// Now it is current: nothing is downloaded again.
	m.pips = nil
	if _, err := ensureCPUPlugin(); err != nil || len(m.pips) != 0 {
		t.Errorf("second setup: %v, pip asked for %v", err, m.pips)
	}

	// A plugin setup did not install (the user's, go-xla's) is kept.
	m.file(plugin, "someone else's plugin")
	if _, err := ensureCPUPlugin(); err != nil || len(m.pips) != 0 {
		t.Errorf("other plugin: %v, pip asked for %v", err, m.pips)
	}

	// Offline: the old plugin stays and setup goes on.
	m.file(plugin, "the older plugin")
	delete(m.wheels, newW.file)
	if got, err := ensureCPUPlugin(); err != nil || got != plugin {
		t.Errorf("offline: %q, %v", got, err)
	}
	if b, _ := os.ReadFile(plugin); string(b) != "the older plugin" {
		t.Errorf("offline: plugin holds %q, want the old one kept", b)
	}
}
