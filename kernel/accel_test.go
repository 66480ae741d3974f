package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/mlx"
)

// fakeMachine is a machine made of temporary folders: HOME, a PATH holding
// only the scripts a test writes, a python3 there that reports one fake
// site-packages, no /dev/nvidia0, an empty PCI bus, no libtpu; and a pip that
// downloads nothing (it records what it was asked for).
type fakeMachine struct {
	t                  *testing.T
	root, home, bin    string
	sitePkgs, dev, pci string
	pips               []wheel // what pipDownload was asked for
	pipErr             error   // what the stand-in for pip returns
	wheels             map[string]string
}

func newFakeMachine(t *testing.T) *fakeMachine {
	t.Helper()
	r := t.TempDir()
	m := &fakeMachine{t: t, root: r, home: filepath.Join(r, "home"), bin: filepath.Join(r, "bin"),
		sitePkgs: filepath.Join(r, "site-packages"), dev: filepath.Join(r, "dev"), pci: filepath.Join(r, "pci"),
		pipErr: errors.New("stand-in for pip: no downloads in tests"), wheels: map[string]string{}}
	for _, d := range []string{m.home, m.bin, m.sitePkgs, m.dev, m.pci} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", m.home)
	t.Setenv("PATH", m.bin)
	for _, k := range append([]string{mlx.PluginPathEnv, mlx.BackendEnv}, tpuEnv...) {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	swap(t, &nvidiaDevice, filepath.Join(m.dev, "nvidia0"))
	swap(t, &pciDevicesDir, m.pci)
	swap(t, &devDir, m.dev)
	swap(t, &systemLibTPU, []string{filepath.Join(r, "usr-lib", "libtpu.so")})
	swap(t, &pythonSiteGlobs, nil)
	swap(t, &diskFree, func(string) (int64, bool) { return 100e9, true })
	swap(t, &pipDownload, func(w wheel, dir string) error {
		m.pips = append(m.pips, w)
		if src, ok := m.wheels[w.file]; ok {
			b, err := os.ReadFile(src)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, w.file), b, 0o644)
		}
		return m.pipErr
	})
	m.script("python3", "echo "+m.sitePkgs)
	return m
}

// swap sets *p to v for the test.
func swap[T any](t *testing.T, p *T, v T) {
	old := *p
	*p = v
	t.Cleanup(func() { *p = old })
}

func (m *fakeMachine) script(name, body string) {
	m.t.Helper()
	if err := os.WriteFile(filepath.Join(m.bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		m.t.Fatal(err)
	}
}

func (m *fakeMachine) file(p, content string) string {
	m.t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		m.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		m.t.Fatal(err)
	}
	return p
}

func (m *fakeMachine) goXLA() string { return filepath.Join(m.home, ".local", "lib", "go-xla") }

// gpu puts an nvidia-smi on PATH that answers like a working driver.
func (m *fakeMachine) gpu(driver string) {
	m.script("nvidia-smi", `case "$*" in *--query-gpu=name,driver_version*) echo "NVIDIA H200, `+driver+`";; *) exit 3;; esac`)
}

// jaxCUDA12 fills the fake site-packages like `pip install "jax[cuda12]"`.
func (m *fakeMachine) jaxCUDA12() string {
	plugin := m.file(filepath.Join(m.sitePkgs, "jax_plugins", "xla_cuda12", "xla_cuda_plugin.so"), "jax's plugin")
	m.file(filepath.Join(m.sitePkgs, "nvidia", "cublas", "lib", "libcublas.so.12"), "cublas")
	m.file(filepath.Join(m.sitePkgs, "nvidia", "cuda_nvcc", "bin", "ptxas"), "ptxas")
	m.file(filepath.Join(m.sitePkgs, "nvidia", "__init__.py"), "")
	return plugin
}

func (m *fakeMachine) run() (string, error) {
	var out bytes.Buffer
	err := ensureAcceleratorsTo(&out)
	return out.String(), err
}

func readLink(t *testing.T, p string) string {
	t.Helper()
	target, err := os.Readlink(p)
	if err != nil {
		t.Fatalf("%s is not a link: %v", p, err)
	}
	return target
}

func TestAccelNoGPUNoTPU(t *testing.T) {
	m := newFakeMachine(t)
	m.jaxCUDA12() // a jax plugin without a GPU must not be linked
	out, err := m.run()
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 1 || !strings.Contains(out, "none found") {
		t.Errorf("want one line saying none found, got:\n%s", out)
	}
	if _, err := os.Stat(m.goXLA()); !errors.Is(err, os.ErrNotExist) || len(m.pips) != 0 {
		t.Errorf("nothing should be installed: %v, pip asked for %v", err, m.pips)
	}
	// An nvidia-smi that lists no GPU is no GPU either.
	m.script("nvidia-smi", "exit 0")
	if _, err := m.run(); err == nil || !strings.Contains(err.Error(), "listed no GPU") {
		t.Errorf("nvidia-smi with no GPU: %v", err)
	}
}

func TestAccelCudaLinksJaxPlugin(t *testing.T) {
	m := newFakeMachine(t)
	m.gpu("570.124.06")
	plugin := m.jaxCUDA12()
	cpu := m.file(filepath.Join(m.goXLA(), "pjrt_c_api_cpu_plugin.so"), "cpu")

	out, err := m.run()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(m.pips) != 0 {
		t.Errorf("a jax plugin was there, yet pip was asked for %v", m.pips)
	}
	nv := filepath.Join(m.goXLA(), "nvidia")
	link := filepath.Join(nv, "pjrt_c_api_cuda_plugin.so")
	if got := readLink(t, link); got != plugin {
		t.Errorf("plugin link -> %s, want %s", got, plugin)
	}
	if got := readLink(t, filepath.Join(nv, "cublas")); got != filepath.Join(m.sitePkgs, "nvidia", "cublas") {
		t.Errorf("cublas link -> %s", got)
	}
	if b, err := os.ReadFile(filepath.Join(nv, "bin", "ptxas")); err != nil || string(b) != "ptxas" {
		t.Errorf("bin/ptxas: %q, %v", b, err)
	}
	if _, err := os.Lstat(filepath.Join(nv, "__init__.py")); err == nil {
		t.Error("nvidia/__init__.py was linked")
	}
	if !strings.Contains(out, "NVIDIA H200, driver 570.124.06") || !strings.Contains(out, "installed by Python's jax") {
		t.Errorf("output:\n%s", out)
	}

	// What doctor and the notebooks see: the cuda plugin, chosen over cpu
	// unless $GOMLX_BACKEND says otherwise.
	found := mlx.FindPlugins(mlx.PluginDirs())
	if found["cuda"] != link || found["cpu"] != cpu {
		t.Fatalf("FindPlugins = %v", found)
	}
	if got := mlx.ChooseBackend("", found); got != "xla:cuda" {
		t.Errorf("automatic choice = %s, want xla:cuda", got)
	}
	if got := mlx.ChooseBackend("xla:cpu", found); got != "xla:cpu" {
		t.Errorf("GOMLX_BACKEND=xla:cpu gave %s", got)
	}

	// Second run: already there, nothing changes.
	out, err = m.run()
	if err != nil || !strings.Contains(out, "already installed at "+link) || len(m.pips) != 0 {
		t.Errorf("second run: %v, pip %v\n%s", err, m.pips, out)
	}

	// The Python package removed: the link leads nowhere, so it no longer
	// counts, and the next setup relinks a new one.
	os.RemoveAll(filepath.Join(m.sitePkgs, "jax_plugins"))
	if _, ok := mlx.FindPlugins(mlx.PluginDirs())["cuda"]; ok {
		t.Error("a dangling link counts as a plugin")
	}
}

func TestAccelCudaDeviceNodeWithoutNvidiaSMI(t *testing.T) {
	m := newFakeMachine(t)
	m.file(nvidiaDevice, "")
	m.jaxCUDA12()
	out, err := m.run()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "nvidia-smi not on PATH") {
		t.Errorf("output:\n%s", out)
	}
	if _, ok := mlx.FindPlugins(mlx.PluginDirs())["cuda"]; !ok {
		t.Error("no cuda plugin after linking")
	}
}

func TestAccelCudaWouldInstallPinnedWheels(t *testing.T) {
	m := newFakeMachine(t)
	m.gpu("535.104.05")
	cpu := m.file(filepath.Join(m.goXLA(), "pjrt_c_api_cpu_plugin.so"), "cpu")

	out, err := m.run()
	// The stand-in for pip refuses: setup must say what it tried and what to do.
	if err == nil {
		t.Fatalf("no error; output:\n%s", out)
	}
	first := cudaLibWheels[0]
	for _, want := range []string{"XLA CUDA plugin", first.pkg + "==" + first.version, "no downloads in tests", "run `go run ./kernel setup` again"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if len(m.pips) != 1 || m.pips[0] != first {
		t.Errorf("pip asked for %v, want the first pinned wheel %v", m.pips, first)
	}
	if !strings.Contains(out, "fetching "+cudaPJRTWheel.pkg+"=="+cudaPJRTWheel.version) {
		t.Errorf("output:\n%s", out)
	}
	// Nothing half-made is left, and the CPU plugin is untouched.
	entries, _ := os.ReadDir(m.goXLA())
	if len(entries) != 1 || entries[0].Name() != filepath.Base(cpu) {
		t.Errorf("go-xla folder holds %v", entries)
	}
	if found := mlx.FindPlugins(mlx.PluginDirs()); mlx.ChooseBackend("", found) != "xla:cpu" {
		t.Errorf("after a failed install the choice is %s", mlx.ChooseBackend("", found))
	}
}

// fakeWheel writes a wheel with members and returns it pinned by its SHA-256.
func (m *fakeMachine) fakeWheel(pkg, version, member string, members map[string]string) wheel {
	m.t.Helper()
	file := strings.ReplaceAll(pkg, "-", "_") + "-" + version + "-py3-none-manylinux_2_27_x86_64.whl"
	p := filepath.Join(m.root, "wheels", file)
	os.MkdirAll(filepath.Dir(p), 0o755)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(members)) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o644)
		if strings.Contains(name, "/bin/") {
			h.SetMode(0o744)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			m.t.Fatal(err)
		}
		w.Write([]byte(members[name]))
	}
	zw.Close()
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		m.t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	m.wheels[file] = p
	return wheel{pkg, version, file, hex.EncodeToString(sum[:]), member}
}

func TestAccelCudaInstallsFromWheels(t *testing.T) {
	m := newFakeMachine(t)
	m.gpu("570.124.06")
	runtimeW := m.fakeWheel("nvidia-cuda-runtime-cu12", "12.9.79", "nvidia/cuda_runtime", map[string]string{
		"nvidia/cuda_runtime/lib/libcudart.so.12":          "cudart",
		"nvidia_cuda_runtime_cu12-12.9.79.dist-info/WHEEL": "x",
	})
	nvccW := m.fakeWheel("nvidia-cuda-nvcc-cu12", "12.9.86", "nvidia/cuda_nvcc", map[string]string{
		"nvidia/cuda_nvcc/bin/ptxas":                      "ptxas",
		"nvidia/cuda_nvcc/nvvm/libdevice/libdevice.10.bc": "bc",
	})
	pjrtW := m.fakeWheel("jax-cuda12-pjrt", "0.11.0", "jax_plugins/xla_cuda12/xla_cuda_plugin.so", map[string]string{
		"jax_plugins/xla_cuda12/xla_cuda_plugin.so": "the plugin",
		"jax_plugins/xla_cuda12/__init__.py":        "",
	})
	swap(t, &cudaLibWheels, []wheel{runtimeW, nvccW})
	swap(t, &cudaPJRTWheel, pjrtW)

	out, err := m.run()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(m.pips) != 3 {
		t.Errorf("pip asked for %v", m.pips)
	}
	nv := filepath.Join(m.goXLA(), "nvidia")
	want := []string{"bin/ptxas", "cuda_nvcc/bin/ptxas", "cuda_nvcc/nvvm/libdevice/libdevice.10.bc",
		"cuda_runtime/lib/libcudart.so.12", "pjrt_c_api_cuda_plugin.so"}
	if got := listFiles(t, nv); !slices.Equal(got, want) {
		t.Errorf("nvidia/ holds %v, want %v", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(nv, "pjrt_c_api_cuda_plugin.so")); string(b) != "the plugin" {
		t.Errorf("plugin = %q", b)
	}
	if st, err := os.Stat(filepath.Join(nv, "bin", "ptxas")); err != nil || st.Mode()&0o111 == 0 {
		t.Errorf("ptxas not executable through bin/: %v", err)
	}
	if entries, _ := os.ReadDir(m.goXLA()); len(entries) != 1 {
		t.Errorf("left behind in go-xla/: %v", entries)
	}
	if st, err := os.Stat(nv); err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("nvidia/ mode: %v, %v", st.Mode(), err)
	}
	if found := mlx.FindPlugins(mlx.PluginDirs()); found["cuda"] != filepath.Join(nv, "pjrt_c_api_cuda_plugin.so") {
		t.Errorf("FindPlugins = %v", found)
	}

	// A wheel whose bytes are not the pinned ones is refused, and the
	// previous install stays.
	m.wheels[runtimeW.file] = m.wheels[nvccW.file]
	os.RemoveAll(nv)
	m.pips = nil
	_, err = m.run()
	if err == nil || !strings.Contains(err.Error(), "refusing to use it") || !strings.Contains(err.Error(), runtimeW.sha256) {
		t.Errorf("wrong wheel: %v", err)
	}
	if _, err := os.Stat(nv); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused install left %s: %v", nv, err)
	}
}

func TestAccelCudaNotEnoughDisk(t *testing.T) {
	m := newFakeMachine(t)
	m.gpu("570.124.06")
	swap(t, &diskFree, func(string) (int64, bool) { return 2e9, true })
	_, err := m.run()
	if err == nil || !strings.Contains(err.Error(), "needs about 5.9 GB free") || !strings.Contains(err.Error(), "only 2.0 GB") || len(m.pips) != 0 {
		t.Errorf("small disk: %v, pip %v", err, m.pips)
	}
}

func TestAccelNvidiaSMIFails(t *testing.T) {
	m := newFakeMachine(t)
	m.script("nvidia-smi", `echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." >&2; exit 9`)
	m.jaxCUDA12()
	out, err := m.run()
	if err == nil {
		t.Fatalf("no error; output:\n%s", out)
	}
	for _, want := range []string{"nvidia-smi", "couldn't communicate with the NVIDIA driver", "exit status 9",
		"fix its driver", "go run ./kernel setup"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if len(m.pips) != 0 {
		t.Errorf("pip asked for %v", m.pips)
	}
	if _, err := os.Stat(m.goXLA()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("something was installed: %v", err)
	}
}

func TestAccelCudaDriverTooOld(t *testing.T) {
	m := newFakeMachine(t)
	m.gpu("470.82.01")
	_, err := m.run()
	if err == nil || !strings.Contains(err.Error(), "older than 525.60.13") || len(m.pips) != 0 {
		t.Errorf("old driver: %v, pip %v", err, m.pips)
	}
	for v, want := range map[string]bool{"525.60.13": false, "525.60.12": true, "525.89.02": false, "580.65": false, "418.0": true} {
		if older, ok := driverOlder(v, minCUDA12Driver); !ok || older != want {
			t.Errorf("driverOlder(%s) = %v, %v", v, older, ok)
		}
	}
	if _, ok := driverOlder("unknown", minCUDA12Driver); ok {
		t.Error("an unreadable version was read")
	}
}

func TestAccelTPU(t *testing.T) {
	m := newFakeMachine(t)
	pciDev := func(name, vendor, device string) {
		m.file(filepath.Join(m.pci, name, "vendor"), vendor+"\n")
		m.file(filepath.Join(m.pci, name, "device"), device+"\n")
	}
	// gVNIC is Google's too, but no TPU.
	pciDev("0000:00:04.0", "0x1ae0", "0x0042")
	pciDev("0000:00:05.0", "0x8086", "0x0063")
	libtpu := m.file(filepath.Join(m.sitePkgs, "libtpu", "libtpu.so"), "libtpu")
	if out, err := m.run(); err != nil || !strings.Contains(out, "none found") {
		t.Fatalf("no TPU: %v\n%s", err, out)
	}

	pciDev("0000:00:06.0", "0x1ae0", "0x0063") // a TPU v5e chip
	out, err := m.run()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	link := filepath.Join(m.goXLA(), "pjrt_c_api_tpu_plugin.so")
	if got := readLink(t, link); got != libtpu || len(m.pips) != 0 {
		t.Errorf("tpu plugin link -> %s (pip %v)", got, m.pips)
	}
	if !strings.Contains(out, "1 TPU chip(s)") {
		t.Errorf("output:\n%s", out)
	}
	cpu := m.file(filepath.Join(m.goXLA(), "pjrt_c_api_cpu_plugin.so"), "cpu")
	found := mlx.FindPlugins(mlx.PluginDirs())
	if found["tpu"] != link || found["cpu"] != cpu || mlx.ChooseBackend("", found) != "xla:tpu" {
		t.Errorf("FindPlugins = %v, choice %s", found, mlx.ChooseBackend("", found))
	}

	// No libtpu anywhere: the pinned wheel is fetched.
	os.Remove(link)
	os.RemoveAll(filepath.Join(m.sitePkgs, "libtpu"))
	_, err = m.run()
	if err == nil || !strings.Contains(err.Error(), "libtpu==0.0.44.1") || len(m.pips) != 1 || m.pips[0] != tpuWheel {
		t.Errorf("install: %v, pip %v", err, m.pips)
	}
}

func TestAccelTPUFromDevicesAndEnv(t *testing.T) {
	m := newFakeMachine(t)
	m.file(filepath.Join(m.dev, "vfio", "0"), "")
	if probeTPU() != "" {
		t.Error("/dev/vfio/0 alone counted as a TPU")
	}
	t.Setenv("TPU_ACCELERATOR_TYPE", "v5litepod-1")
	if got := probeTPU(); !strings.Contains(got, "TPU_ACCELERATOR_TYPE") {
		t.Errorf("probeTPU = %q", got)
	}
}

func TestPluginDoctorSeesCuda(t *testing.T) {
	m := newFakeMachine(t)
	m.file(filepath.Join(m.goXLA(), "pjrt_c_api_cpu_plugin.so"), "cpu")
	m.file(filepath.Join(m.goXLA(), "nvidia", "pjrt_c_api_cuda_plugin.so"), "cuda")
	if got := backendConfigs(); !slices.Contains(got, "xla:cuda") || !slices.Contains(got, "xla:cpu") {
		t.Errorf("doctor's backends: %v", got)
	}
	if got := autoChoice(); !strings.HasPrefix(got, "xla:cuda ") {
		t.Errorf("doctor's choice: %s", got)
	}
	t.Setenv(mlx.BackendEnv, "xla:cpu")
	if got := autoChoice(); !strings.HasPrefix(got, "xla:cpu ") {
		t.Errorf("with GOMLX_BACKEND=xla:cpu: %s", got)
	}
}

func TestAccelPinnedWheels(t *testing.T) {
	hexRE := regexp.MustCompile(`^[0-9a-f]{64}$`)
	all := append(slices.Concat(cudaLibWheels, cpuWheels), cudaPJRTWheel, tpuWheel)
	for _, w := range all {
		prefix := strings.ReplaceAll(w.pkg, "-", "_") + "-" + w.version + "-"
		if !strings.HasPrefix(w.file, prefix) || !strings.HasSuffix(w.file, ".whl") || !hexRE.MatchString(w.sha256) {
			t.Errorf("pin %+v: file must start with %q, hash must be 64 hex digits", w, prefix)
		}
		if err := checkMemberName(w.member); err != nil {
			t.Error(err)
		}
		for _, p := range wheelPlatforms(w.file) {
			if !strings.HasPrefix(p, "manylinux") || !strings.HasSuffix(p, "_x86_64") {
				t.Errorf("%s: platform %q", w.file, p)
			}
		}
	}
	for _, w := range cudaLibWheels {
		if !strings.HasPrefix(w.member, "nvidia/") || strings.Count(w.member, "/") != 1 {
			t.Errorf("%s: member %q is not an nvidia/<lib> folder", w.pkg, w.member)
		}
	}
	for sum := range supersededPlugins {
		if !hexRE.MatchString(sum) {
			t.Errorf("superseded plugin %q: not a SHA-256", sum)
		}
	}
	if got := wheelPlatforms("a-1-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"); !slices.Equal(got,
		[]string{"manylinux2014_x86_64", "manylinux_2_17_x86_64"}) {
		t.Errorf("wheelPlatforms = %v", got)
	}
}

func TestAccelExtractTreeRefusesTraversal(t *testing.T) {
	dir := t.TempDir()
	whl := filepath.Join(dir, "w.whl")
	writeZip(t, whl, map[string]string{"nvidia/x/lib/a.so": "a", "nvidia/x/../../../evil": "e"})
	if _, err := extractTree(whl, "nvidia/x", filepath.Join(dir, "out")); err == nil || !strings.Contains(err.Error(), "suspicious") {
		t.Errorf("traversal: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "evil")); err == nil {
		t.Error("wrote outside the folder")
	}
	if _, err := extractTree(whl, "nvidia/y", filepath.Join(dir, "out")); err == nil || !strings.Contains(err.Error(), "no files under nvidia/y/") {
		t.Errorf("missing folder: %v", err)
	}
}
