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
		{"xla:cpu", found, "xla:cpu"}, // $GOMLX_BACKEND wins over a cuda plugin
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

// TestBackendChoiceCudaOverCPU lays plugins out as setup does (CPU in
// ~/.local/lib/go-xla, CUDA in its nvidia/ subfolder, as go-xla's installer
// puts it) and checks what the notebooks would pick.
func TestBackendChoiceCudaOverCPU(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv(PluginPathEnv, "")
	os.Unsetenv(PluginPathEnv)
	dir := filepath.Join(home, ".local", "lib", "go-xla")
	os.MkdirAll(filepath.Join(dir, "nvidia"), 0o755)
	cpu := touch(t, dir, "pjrt_c_api_cpu_plugin.so")
	cuda := touch(t, filepath.Join(dir, "nvidia"), "pjrt_c_api_cuda_plugin.so")
	// A link to a plugin that is gone does not count.
	os.Symlink(filepath.Join(home, "gone.so"), filepath.Join(dir, "pjrt_c_api_tpu_plugin.so"))

	if dirs := PluginDirs(); len(dirs) < 2 || dirs[0] != dir || dirs[1] != filepath.Join(dir, "nvidia") {
		t.Fatalf("PluginDirs = %v", dirs)
	}
	found := FindPlugins(PluginDirs())
	if found["cpu"] != cpu || found["cuda"] != cuda || len(found) != 2 {
		t.Fatalf("FindPlugins = %v", found)
	}
	for env, want := range map[string]string{"": "xla:cuda", "xla:cpu": "xla:cpu", "go": GoBackendConfig} {
		if got := ChooseBackend(env, found); got != want {
			t.Errorf("ChooseBackend(%q) = %q, want %q", env, got, want)
		}
	}
}

// TestBackendFallsBackToNextPlugin: a CUDA plugin that cannot load (here a
// file that is no plugin; on a real machine, a broken driver) must not cost
// the XLA CPU plugin.
func TestBackendFallsBackToNextPlugin(t *testing.T) {
	fakeCUDA := touch(t, t.TempDir(), "pjrt_c_api_cuda_plugin.so")
	fakeCPU := touch(t, t.TempDir(), "pjrt_c_api_cpu_plugin.so")

	_, info, err := newBackend("", map[string]string{"cuda": fakeCUDA, "cpu": fakeCPU})
	if err != nil {
		t.Fatal(err)
	}
	if info.Config != GoBackendConfig || !strings.Contains(info.Fallback, "xla:cuda failed") ||
		!strings.Contains(info.Fallback, "xla:cpu failed") || info.Note != "" {
		t.Errorf("both broken: %+v", info)
	}

	realCPU, ok := FindPlugins(PluginDirs())["cpu"]
	if !ok {
		t.Skip("no XLA CPU plugin installed here (run `go run ./kernel setup`): the CUDA -> CPU fallback is not tried")
	}
	b, info, err := newBackend("", map[string]string{"cuda": fakeCUDA, "cpu": realCPU})
	if err != nil {
		t.Fatal(err)
	}
	if info.Config != "xla:cpu" || info.Plugin != realCPU || !strings.Contains(info.Fallback, "xla:cuda failed") || b == nil {
		t.Errorf("info = %+v", info)
	}
	if line := info.String(); !strings.Contains(line, "fell back to xla:cpu: xla:cuda failed to load") {
		t.Errorf("line = %q", line)
	}
}
