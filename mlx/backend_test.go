package mlx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func touch(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("not really a plugin"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFindPluginsAndChoose(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	cpuA := touch(t, a, "pjrt_c_api_cpu_plugin.so")
	touch(t, b, "pjrt_c_api_cpu_v0.114.0_plugin.so")
	cudaB := touch(t, b, "pjrt_c_api_cuda_plugin.so")
	touch(t, b, "README.txt")

	found := FindPlugins([]string{a, b})
	if found["cpu"] != cpuA || found["cuda"] != cudaB || len(found) != 2 {
		t.Fatalf("FindPlugins = %v", found)
	}
	tests := []struct {
		env     string
		plugins map[string]string
		want    string
	}{
		{"", found, "xla:cuda"},
		{"", map[string]string{"cpu": cpuA}, "xla:cpu"},
		{"", map[string]string{"tpu": "x", "cpu": "y"}, "xla:tpu"},
		{"", map[string]string{"rocm": "x"}, "xla:rocm"},
		{"", nil, GoBackendConfig},
		{"go", found, GoBackendConfig},
		{"xla:cpu", nil, "xla:cpu"},
		{"go:parallelism=1", found, "go:parallelism=1"},
	}
	for _, tt := range tests {
		if got := ChooseBackend(tt.env, tt.plugins); got != tt.want {
			t.Errorf("ChooseBackend(%q, %v) = %q, want %q", tt.env, tt.plugins, got, tt.want)
		}
	}
}

func TestPluginDirsFromEnv(t *testing.T) {
	t.Setenv(PluginPathEnv, "/a::/b")
	if got := PluginDirs(); len(got) != 2 || got[0] != "/a" || got[1] != "/b" {
		t.Errorf("PluginDirs = %v", got)
	}
	empty := t.TempDir()
	t.Setenv(PluginPathEnv, empty)
	if got := FindPlugins(PluginDirs()); len(got) != 0 {
		t.Errorf("empty folder: found %v", got)
	}
}

func TestNewBackendFallsBack(t *testing.T) {
	// A file named like a plugin that is not one: the automatic choice falls
	// back to the pure-Go backend and says why.
	fake := touch(t, t.TempDir(), "pjrt_c_api_cpu_plugin.so")
	b, info, err := newBackend("", map[string]string{"cpu": fake})
	if err != nil {
		t.Fatal(err)
	}
	if info.Config != GoBackendConfig || !strings.Contains(info.Fallback, "xla:cpu") || b == nil {
		t.Errorf("info = %+v", info)
	}
	if !strings.Contains(info.String(), "fell back to the pure-Go backend") {
		t.Errorf("line = %q", info.String())
	}

	// No plugin at all: the pure-Go backend, no fallback note.
	_, info, err = newBackend("", nil)
	if err != nil || info.Config != GoBackendConfig || info.Fallback != "" || !strings.Contains(info.String(), "no XLA plugin found") {
		t.Errorf("no plugins: %+v, %v", info, err)
	}

	// An explicit choice that cannot work is an error naming it.
	_, _, err = newBackend("nosuchbackend", nil)
	if err == nil || !strings.Contains(err.Error(), "nosuchbackend") {
		t.Errorf("unknown backend: %v", err)
	}
}
