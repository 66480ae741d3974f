package mlx

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/go-xla/compute/xla"

	// The pure-Go backend, registered as "go".
	_ "github.com/gomlx/compute/gobackend"
)

// BackendEnv is GoMLX's own variable for choosing a backend ("xla:cpu",
// "xla:cuda", "go", "xla:/abs/path/pjrt_c_api_cpu_plugin.so", ...).
const BackendEnv = compute.ConfigEnvVar

// PluginPathEnv is go-xla's list of folders searched for PJRT plugins.
const PluginPathEnv = "PJRT_PLUGIN_LIBRARY_PATH"

// GoBackendConfig is the pure-Go backend in the configuration measured not to
// deadlock on 2 cores (see DESIGN.md: with its default parallelism,
// transformer training can hang on the second step).
const GoBackendConfig = "go:ops_sequential"

// pluginPreference is the order in which XLA plugins are preferred.
var pluginPreference = []string{"cuda", "tpu", "cpu"}

func init() {
	// A lesson never downloads: plugins are installed by `kernel setup`.
	xla.EnableAutoInstall(false)
}

// PluginDirs returns the folders searched for PJRT plugins, in go-xla's order:
// $PJRT_PLUGIN_LIBRARY_PATH if set, else ~/.local/lib/go-xla and
// /usr/local/lib/go-xla, each followed by its nvidia/ subfolder, where
// go-xla's installer (and `kernel setup`) put the CUDA plugin next to the
// NVIDIA libraries it loads.
func PluginDirs() []string {
	if v, ok := os.LookupEnv(PluginPathEnv); ok {
		var dirs []string
		for _, d := range filepath.SplitList(v) {
			if d != "" {
				dirs = append(dirs, d)
			}
		}
		return dirs
	}
	var dirs []string
	if home, err := os.UserHomeDir(); err == nil {
		d := filepath.Join(home, ".local", "lib", "go-xla")
		dirs = append(dirs, d, filepath.Join(d, "nvidia"))
	}
	return append(dirs, "/usr/local/lib/go-xla", "/usr/local/lib/go-xla/nvidia")
}

var pluginFileRE = regexp.MustCompile(`^(?:pjrt_c_api_(.+)_plugin|pjrt[-_]plugin[-_](.+))\.so$`)

// FindPlugins lists the PJRT plugin files in dirs by name ("cpu", "cuda", ...),
// the first folder winning when two hold the same name. It only looks at file
// names (and skips links that lead nowhere); loading happens when the backend
// is created.
func FindPlugins(dirs []string) map[string]string {
	found := map[string]string{}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			m := pluginFileRE.FindStringSubmatch(e.Name())
			if m == nil || e.IsDir() {
				continue
			}
			if st, err := os.Stat(filepath.Join(dir, e.Name())); err != nil || st.IsDir() {
				continue // a dangling link (say, to a Python package since removed)
			}
			name := m[1] + m[2]
			// go-xla's installer names versioned files "cpu_v0.114.0".
			name, _, _ = strings.Cut(name, "_v")
			if _, dup := found[name]; !dup {
				found[name] = filepath.Join(dir, e.Name())
			}
		}
	}
	return found
}

// ChooseBackend returns the backend configuration to use: an explicit
// $GOMLX_BACKEND wins; else XLA with the best plugin found (cuda, then tpu,
// then cpu, then any other); else the pure-Go backend.
func ChooseBackend(env string, plugins map[string]string) string {
	if env != "" {
		if env == "go" {
			return GoBackendConfig
		}
		return env
	}
	for _, name := range pluginPreference {
		if _, ok := plugins[name]; ok {
			return "xla:" + name
		}
	}
	if len(plugins) > 0 {
		names := make([]string, 0, len(plugins))
		for n := range plugins {
			names = append(names, n)
		}
		sort.Strings(names)
		return "xla:" + names[0]
	}
	return GoBackendConfig
}

// Info says which backend runs the lessons and why.
type Info struct {
	Config   string // what was asked, e.g. "xla:cpu"
	Name     string // the backend's own name
	Device   string // description of device 0
	Devices  int
	Plugin   string // path of the PJRT plugin, if XLA
	Fallback string // why a better backend was not used: the plugins that were chosen and failed to load
	Note     string // why the pure-Go backend was chosen, if no plugin was found
	Flags    string // XLA flags mlx added for this plugin (see xlaflags.go)
}

// String is the one line every notebook prints.
func (i Info) String() string {
	s := fmt.Sprintf("backend: %s | device: %s", i.Config, i.Device)
	if i.Devices > 1 {
		s += fmt.Sprintf(" (+%d more)", i.Devices-1)
	}
	if i.Plugin != "" {
		s += " | plugin: " + i.Plugin
	}
	if i.Fallback != "" {
		to := i.Config
		if strings.HasPrefix(to, "go") {
			to = "the pure-Go backend"
		}
		s += " | fell back to " + to + ": " + i.Fallback
	}
	if i.Note != "" {
		s += " | " + i.Note
	}
	return s
}

var (
	backendOnce sync.Once
	backend     compute.Backend
	backendInfo Info
	backendErr  error
)

// Backend returns the process-wide backend, created on first use as
// ChooseBackend says. If an XLA plugin was chosen automatically but fails to
// load, it falls back to the pure-Go backend and Info says why; an XLA
// backend named explicitly in $GOMLX_BACKEND that fails is an error.
func Backend() (compute.Backend, error) {
	backendOnce.Do(func() {
		backend, backendInfo, backendErr = newBackend(os.Getenv(BackendEnv), FindPlugins(PluginDirs()))
	})
	return backend, backendErr
}

// MustBackend is Backend for notebook cells: it panics with the error.
func MustBackend() compute.Backend {
	b, err := Backend()
	if err != nil {
		panic(err)
	}
	return b
}

// BackendInfo describes the process-wide backend (creating it if needed).
func BackendInfo() (Info, error) {
	_, err := Backend()
	return backendInfo, err
}

// PrintBackend prints the one line naming backend and device; every notebook
// calls it right after the setup cell.
func PrintBackend() {
	info, err := BackendInfo()
	if err != nil {
		fmt.Println("backend: ERROR:", err)
		return
	}
	fmt.Println(info)
}

func newBackend(env string, plugins map[string]string) (compute.Backend, Info, error) {
	config := ChooseBackend(env, plugins)
	if name, ok := strings.CutPrefix(config, "xla:"); ok && env == "" {
		return newAutoXLA(name, plugins)
	}
	plugin, flags := prepareXLA(config, plugins)
	b, err := newWithConfig(config)
	if err != nil {
		return nil, Info{Config: config}, fmt.Errorf("mlx: cannot create backend %q: %w; "+
			"run `go run ./kernel doctor` to see the plugins found, or set %s=go for the pure-Go backend",
			config, err, BackendEnv)
	}
	if config == GoBackendConfig && env == "" {
		info := describe(b, config, "", "")
		info.Note = "no XLA plugin found in " + strings.Join(PluginDirs(), ", ") + "; run `go run ./kernel setup` to install one"
		return b, info, nil
	}
	info := describe(b, config, plugin, "")
	info.Flags = flags
	return b, info, nil
}

// prepareXLA returns the plugin file an "xla:..." config loads (its
// absolute path, or the plugin found under its name; "" for other
// backends) and, when that file is the CPU plugin, sets XLA's flags for it
// before the backend is created (xlaflags.go), returning the flags added.
func prepareXLA(config string, plugins map[string]string) (plugin, flags string) {
	name, ok := strings.CutPrefix(config, "xla:")
	if !ok {
		return "", ""
	}
	name, _, _ = strings.Cut(name, ",")
	plugin = plugins[name]
	if filepath.IsAbs(name) {
		plugin = name
	}
	if plugin != "" && plugin == plugins["cpu"] {
		flags = tuneCPUPlugin(plugin)
	}
	return plugin, flags
}

// newAutoXLA loads the plugin that the automatic choice named. If it fails
// (a CUDA plugin on a machine whose driver is broken, say), the next plugin in
// order is tried, and last the pure-Go backend; Info.Fallback says what failed.
func newAutoXLA(name string, plugins map[string]string) (compute.Backend, Info, error) {
	config := "xla:" + name
	// Load the very file that was found (the line still says "xla:cpu").
	load := "xla:" + plugins[name]
	if name == "cpu" {
		load += ",shared_buffers" // go-xla enables it for plugins named "cpu"
	}
	_, flags := prepareXLA(load, plugins)
	b, err := newWithConfig(load)
	if err == nil {
		info := describe(b, config, plugins[name], "")
		info.Flags = flags
		return b, info, nil
	}
	reason := fmt.Sprintf("%s failed to load (%v)", config, firstLine(err))
	rest := maps.Clone(plugins)
	delete(rest, name)
	b, info, err := newBackend("", rest)
	if err != nil {
		return nil, info, err
	}
	if info.Fallback != "" {
		reason += "; " + info.Fallback
	}
	info.Fallback, info.Note = reason, ""
	return b, info, nil
}

func describe(b compute.Backend, config, plugin, fallback string) Info {
	device := b.DeviceDescription(0)
	if strings.HasPrefix(config, "go") {
		device = fmt.Sprintf("CPU, pure Go (%d cores)", runtime.NumCPU())
	}
	return Info{Config: config, Name: b.Name(), Device: device,
		Devices: b.NumDevices(), Plugin: plugin, Fallback: fallback}
}

// newWithConfig is compute.NewWithConfig, which panics on an unknown backend
// name, turned into an error.
func newWithConfig(config string) (b compute.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return compute.NewWithConfig(config)
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// OpenBackend creates a new backend for config ("" means the automatic
// choice) without touching the process-wide one; `kernel setup` and `kernel
// doctor` use it for their table of backends.
func OpenBackend(config string) (compute.Backend, Info, error) {
	return newBackend(config, FindPlugins(PluginDirs()))
}
