package main

// The TPU half of accel.go: a Cloud TPU's plugin is libtpu.so, linked from a
// jax[tpu] or TPU VM install, else unpacked from the pinned libtpu wheel.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/baeum-go/baeum/mlx"
)

// tpuWheel is the libtpu that jax 0.11.0 pins for jax[tpu] (libtpu==0.0.44.*),
// for CPython 3.12 (the wheel is the same .so for every Python; pip is asked
// for this one file).
var tpuWheel = wheel{"libtpu", "0.0.44.1", "libtpu-0.0.44.1-cp312-cp312-manylinux_2_31_x86_64.whl",
	"4a96b7c320f63267e6ce82f323c2d8fca68395170ac98db4eb29d8e3cca2edf9", "libtpu/libtpu.so"}

// googlePCIVendor and tpuPCIDevices identify TPU chips on the PCI bus, as
// jax does (jax/_src/hardware_utils.py): v2/v3, v4, v5p, v5e, v6e, 7x, 8i,
// 8t, and one without a public name. Google's other PCI devices (gVNIC, ...)
// are not TPUs.
const googlePCIVendor = "0x1ae0"

var tpuPCIDevices = []string{"0x0027", "0x0056", "0x005e", "0x0062", "0x0063", "0x006f", "0x0076", "0x0083", "0x007c"}

// tpuEnv are variables set on Cloud TPU VMs; with /dev/accel* (v2-v4) or
// /dev/vfio/N (v5e and later) they mark a TPU host when /sys is not readable.
var tpuEnv = []string{"TPU_NAME", "TPU_ACCELERATOR_TYPE", "TPU_WORKER_ID", "TPU_SKIP_MDS_QUERY"}

// probeTPU says how a TPU was found, or "" for none.
func probeTPU() string {
	vendors, _ := filepath.Glob(filepath.Join(pciDevicesDir, "*", "vendor"))
	chips, id := 0, ""
	for _, v := range vendors {
		b, err := os.ReadFile(v)
		if err != nil || strings.TrimSpace(string(b)) != googlePCIVendor {
			continue
		}
		d, err := os.ReadFile(filepath.Join(filepath.Dir(v), "device"))
		if err == nil && slices.Contains(tpuPCIDevices, strings.TrimSpace(string(d))) {
			chips, id = chips+1, strings.TrimSpace(string(d))
		}
	}
	if chips > 0 {
		return fmt.Sprintf("%d TPU chip(s) on the PCI bus (Google device %s)", chips, id)
	}
	var devs []string
	for _, g := range []string{"accel[0-9]*", "vfio/[0-9]*"} {
		m, _ := filepath.Glob(filepath.Join(devDir, g))
		devs = append(devs, m...)
	}
	if len(devs) > 0 {
		for _, e := range tpuEnv {
			if os.Getenv(e) != "" {
				return fmt.Sprintf("%s and $%s", devs[0], e)
			}
		}
	}
	for _, p := range systemLibTPU {
		if _, err := os.Stat(p); err == nil {
			return p + " (installed with the TPU VM image)"
		}
	}
	return ""
}

// ensureTPUPlugin returns whether a TPU was seen, and why no TPU plugin could
// be made available: a libtpu.so already on the machine (a Python jax[tpu] or
// the TPU VM image) is linked, else the pinned libtpu wheel is unpacked.
func ensureTPUPlugin(w io.Writer) (bool, error) {
	how := probeTPU()
	if how == "" {
		return false, nil
	}
	if p, ok := mlx.FindPlugins(mlx.PluginDirs())["tpu"]; ok {
		fmt.Fprintf(w, "  XLA TPU plugin: already installed at %s (TPU: %s)\n", p, how)
		return true, nil
	}
	if v, ok := os.LookupEnv(mlx.PluginPathEnv); ok {
		return true, fmt.Errorf("TPU found (%s), but $%s is set to %q and holds no TPU plugin; unset it so that "+
			"setup installs one into ~/.local/lib/go-xla, or put pjrt_c_api_tpu_plugin.so there", how, mlx.PluginPathEnv, v)
	}
	if runtime.GOOS != "linux" {
		return true, fmt.Errorf("TPU found (%s), but libtpu exists for Linux only", how)
	}
	dir, err := pluginInstallDir()
	if err != nil {
		return true, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return true, err
	}
	dst := filepath.Join(dir, "pjrt_c_api_tpu_plugin.so")
	var found []string
	for _, sp := range sitePackages() {
		found = append(found, filepath.Join(sp, "libtpu", "libtpu.so"))
	}
	var tried []string
	for _, src := range append(found, systemLibTPU...) {
		if st, err := os.Stat(src); err != nil || !st.Mode().IsRegular() {
			continue
		}
		if err := replaceLink(src, dst); err != nil {
			tried = append(tried, "linking "+src+": "+err.Error())
			continue
		}
		fmt.Fprintf(w, "  XLA TPU plugin: TPU %s; linked %s -> %s\n", how, dst, src)
		return true, nil
	}
	if runtime.GOARCH != "amd64" {
		return true, fmt.Errorf("TPU found (%s), but no libtpu.so is installed and the libtpu wheel pinned here is for amd64; "+
			"install jax[tpu] with pip and run setup again (it links its libtpu.so)", how)
	}
	fmt.Fprintf(w, "  XLA TPU plugin: TPU %s; fetching %s==%s from PyPI (about %s)...\n", how, tpuWheel.pkg, tpuWheel.version, gigabytes(tpuDownloadBytes))
	err = checkFreeSpace(dir, tpuDiskBytes)
	if err == nil {
		err = withWheel(w, tpuWheel, dir, func(whl string) error { return extractMember(whl, tpuWheel.member, dst, 0o755) })
	}
	if err != nil {
		tried = append(tried, err.Error())
		return true, fmt.Errorf("TPU found (%s), but no TPU plugin could be installed; tried:\n    %s\n"+
			"run `go run ./kernel setup` again once this is fixed; meanwhile the lessons use the CPU", how, strings.Join(tried, "\n    "))
	}
	fmt.Fprintf(w, "  XLA TPU plugin: installed %s (SHA-256 checked)\n", dst)
	return true, nil
}
