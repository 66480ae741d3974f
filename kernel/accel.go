package main

// Accelerators. When the machine has an NVIDIA GPU or a Cloud TPU, `kernel
// setup` installs the matching XLA PJRT plugin where go-xla looks for it,
// laid out the way go-xla's own installer lays it out (github.com/gomlx/
// go-xla/installer, cuda.go and tpu.go), but from wheels pinned here by
// version and SHA-256 and fetched with pip:
//
//   - CUDA: ~/.local/lib/go-xla/nvidia/pjrt_c_api_cuda_plugin.so, with the
//     NVIDIA libraries in the same folder (nvidia/cublas/lib/..., ...) and
//     nvidia/bin/ptxas. The plugin finds the libraries through its RPATH
//     ($ORIGIN/../nvidia/<lib>/lib), and go-xla points XLA at nvidia/ for
//     ptxas and libdevice (--xla_gpu_cuda_data_dir).
//   - TPU: ~/.local/lib/go-xla/pjrt_c_api_tpu_plugin.so, the libtpu.so of
//     the libtpu wheel.
//
// A plugin that Python's jax already installed (Colab's GPU and TPU runtimes
// come with jax[cuda12] or jax[tpu]) is linked instead of downloaded.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/baeum-go/baeum/mlx"
)

// cudaPJRTWheel is the CUDA 12 PJRT plugin of JAX 0.11.0, the release that
// go-xla's installer ("latest") took when go-xla v0.4.1 came out. CUDA 12
// rather than 13: it runs on every driver from 525.60.13 on (CUDA 13 needs
// 580) and on Maxwell to Blackwell GPUs.
var cudaPJRTWheel = wheel{"jax-cuda12-pjrt", "0.11.0", "jax_cuda12_pjrt-0.11.0-py3-none-manylinux_2_27_x86_64.whl",
	"242df99c90827a2937df1c444983d4076173f9836dc0bc1d20df86960144f35a", "jax_plugins/xla_cuda12/xla_cuda_plugin.so"}

// cudaLibWheels are the NVIDIA libraries that jax-cuda12-plugin 0.11.0 asks
// for (its "with-cuda" extra), each at the newest version PyPI had that meets
// the constraint, as go-xla's installer picks them. member is the folder
// unpacked, into nvidia/<its last element>.
var cudaLibWheels = []wheel{
	{"nvidia-cuda-runtime-cu12", "12.9.79", "nvidia_cuda_runtime_cu12-12.9.79-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
		"25bba2dfb01d48a9b59ca474a1ac43c6ebf7011f1b0b8cc44f54eb6ac48a96c3", "nvidia/cuda_runtime"},
	{"nvidia-cuda-nvcc-cu12", "12.9.86", "nvidia_cuda_nvcc_cu12-12.9.86-py3-none-manylinux2010_x86_64.manylinux_2_12_x86_64.whl",
		"5d6a0d32fdc7ea39917c20065614ae93add6f577d840233237ff08e9a38f58f0", "nvidia/cuda_nvcc"},
	{"nvidia-cuda-nvrtc-cu12", "12.9.86", "nvidia_cuda_nvrtc_cu12-12.9.86-py3-none-manylinux2010_x86_64.manylinux_2_12_x86_64.whl",
		"210cf05005a447e29214e9ce50851e83fc5f4358df8b453155d5e1918094dcb4", "nvidia/cuda_nvrtc"},
	{"nvidia-cuda-cupti-cu12", "12.9.79", "nvidia_cuda_cupti_cu12-12.9.79-py3-none-manylinux_2_25_x86_64.whl",
		"096bcf334f13e1984ba36685ad4c1d6347db214de03dbb6eebb237b41d9d934f", "nvidia/cuda_cupti"},
	{"nvidia-nvjitlink-cu12", "12.9.86", "nvidia_nvjitlink_cu12-12.9.86-py3-none-manylinux2010_x86_64.manylinux_2_12_x86_64.whl",
		"e3f1171dbdc83c5932a45f0f4c99180a70de9bd2718c1ab77d14104f6d7147f9", "nvidia/nvjitlink"},
	{"nvidia-cublas-cu12", "12.9.3.13", "nvidia_cublas_cu12-12.9.3.13-py3-none-manylinux_2_27_x86_64.whl",
		"d7d51055f161b317c7105ddaae90e71eda059026074ffef93cf7cde2886bfe72", "nvidia/cublas"},
	{"nvidia-cufft-cu12", "11.4.1.4", "nvidia_cufft_cu12-11.4.1.4-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
		"c67884f2a7d276b4b80eb56a79322a95df592ae5e765cf1243693365ccab4e28", "nvidia/cufft"},
	{"nvidia-cusolver-cu12", "11.7.5.82", "nvidia_cusolver_cu12-11.7.5.82-py3-none-manylinux_2_27_x86_64.whl",
		"15da72d1340d29b5b3cf3fd100e3cd53421dde36002eda6ed93811af63c40d88", "nvidia/cusolver"},
	{"nvidia-cusparse-cu12", "12.5.10.65", "nvidia_cusparse_cu12-12.5.10.65-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
		"73060ce019ac064a057267c585bf1fd5a353734151f87472ff02b2c5c9984e78", "nvidia/cusparse"},
	{"nvidia-cudnn-cu12", "9.28.0.42", "nvidia_cudnn_cu12-9.28.0.42-py3-none-manylinux_2_27_x86_64.whl",
		"9ff58b7f36dacd0a93e89f8f2957b52466889217963701daa15e577317cfa375", "nvidia/cudnn"},
	{"nvidia-nccl-cu12", "2.32.3", "nvidia_nccl_cu12-2.32.3-py3-none-manylinux_2_27_x86_64.whl",
		"bb94b2348e4861d5e8aa00b36c3d12d9bdf9c6369b82cbb723de0b582280a21c", "nvidia/nccl"},
	{"nvidia-nvshmem-cu12", "3.8.0", "nvidia_nvshmem_cu12-3.8.0-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
		"b2e5760d6158aefe7bb74348d5128bb1b46a7dd1fd4b7b1e6fe55b4b07888f70", "nvidia/nvshmem"},
}

// Sizes, measured on the wheels above. Installing needs everything unpacked
// plus the largest wheel (each wheel is deleted once unpacked).
const (
	cudaDownloadBytes = 3_196_000_000                   // the 13 wheels
	cudaUnpackedBytes = 5_156_000_000                   // the 12 library folders and the plugin
	cudaDiskBytes     = cudaUnpackedBytes + 717_000_000 // + the cuDNN wheel
	tpuDownloadBytes  = 216_000_000
	tpuDiskBytes      = 685_000_000 + tpuDownloadBytes // libtpu.so + its wheel
)

// minCUDA12Driver is the oldest NVIDIA driver that runs CUDA 12 (Linux).
var minCUDA12Driver = []int{525, 60, 13}

// What setup looks at; tests point them at fakes.
var (
	nvidiaDevice  = "/dev/nvidia0"
	pciDevicesDir = "/sys/bus/pci/devices"
	devDir        = "/dev"
	// go-xla's own sign of a TPU host (installer.HasTPU).
	systemLibTPU = []string{"/lib/libtpu.so", "/usr/lib/libtpu.so", "/usr/local/lib/libtpu.so"}
	// Where Python packages usually live besides what python3 reports.
	pythonSiteGlobs = []string{"/usr/local/lib/python3*/dist-packages", "/usr/local/lib/python3*/site-packages",
		"/usr/lib/python3/dist-packages", "/usr/lib/python3*/site-packages"}
	// pipDownload fetches one wheel file into dir; tests replace it so that
	// nothing is downloaded.
	pipDownload = pipDownloadWheel
	diskFree    = diskFreeBytes
)

// ensureAccelerators installs the XLA plugin for an NVIDIA GPU and for a TPU
// when the machine has one (see the top of this file). With neither it prints
// one line and changes nothing. Its errors name what failed and what to do;
// setup prints them as a warning, since the CPU plugin still works.
func ensureAccelerators() error { return ensureAcceleratorsTo(os.Stdout) }

func ensureAcceleratorsTo(w io.Writer) error {
	gpu, cudaErr := ensureCUDAPlugin(w)
	tpu, tpuErr := ensureTPUPlugin(w)
	if !gpu && !tpu && cudaErr == nil && tpuErr == nil {
		fmt.Fprintln(w, "  GPU/TPU: none found (no nvidia-smi answering, no /dev/nvidia0, no TPU chip): the lessons use the CPU")
	}
	var errs []error
	if cudaErr != nil {
		errs = append(errs, fmt.Errorf("XLA CUDA plugin: %w", cudaErr))
	}
	if tpuErr != nil {
		errs = append(errs, fmt.Errorf("XLA TPU plugin: %w", tpuErr))
	}
	return errors.Join(errs...)
}

// gpuProbe is what probeNVIDIA found.
type gpuProbe struct {
	found        bool
	name, driver string // from nvidia-smi, empty without it
	problem      string // nvidia-smi is on PATH but failed: what it said
}

func (g gpuProbe) String() string {
	if g.name == "" {
		return nvidiaDevice + " (nvidia-smi not on PATH, driver version unknown)"
	}
	return g.name + ", driver " + g.driver
}

// probeNVIDIA asks nvidia-smi for the first GPU's name and driver version,
// and looks for /dev/nvidia0.
func probeNVIDIA() gpuProbe {
	_, err := os.Stat(nvidiaDevice)
	dev := err == nil
	smi, err := exec.LookPath("nvidia-smi")
	if err != nil {
		return gpuProbe{found: dev}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, smi, "--query-gpu=name,driver_version", "--format=csv,noheader").CombinedOutput()
	text := strings.TrimSpace(string(out))
	if err != nil || text == "" {
		if err == nil {
			err = errors.New("it listed no GPU")
		}
		return gpuProbe{found: dev, problem: fmt.Sprintf("`%s --query-gpu=name,driver_version --format=csv,noheader` failed (%v): %s",
			smi, err, lastLines(text, 2))}
	}
	name, driver, _ := strings.Cut(firstLine(text), ",")
	return gpuProbe{found: true, name: strings.TrimSpace(name), driver: strings.TrimSpace(driver)}
}

// ensureCUDAPlugin returns whether a GPU was seen, and why no CUDA plugin
// could be made available.
func ensureCUDAPlugin(w io.Writer) (bool, error) {
	gpu := probeNVIDIA()
	if gpu.problem != "" {
		what := "no NVIDIA GPU is usable"
		if gpu.found {
			what = nvidiaDevice + " exists but the driver does not answer"
		}
		return gpu.found, fmt.Errorf("%s: %s; nothing installed. If this machine has an NVIDIA GPU, fix its driver "+
			"until `nvidia-smi` lists the GPU, then run `go run ./kernel setup` again", what, gpu.problem)
	}
	if !gpu.found {
		return false, nil
	}
	if p, ok := mlx.FindPlugins(mlx.PluginDirs())["cuda"]; ok {
		fmt.Fprintf(w, "  XLA CUDA plugin: already installed at %s (GPU: %s)\n", p, gpu)
		return true, nil
	}
	if v, ok := os.LookupEnv(mlx.PluginPathEnv); ok {
		return true, fmt.Errorf("GPU %s found, but $%s is set to %q and holds no CUDA plugin; unset it so that "+
			"setup installs one into ~/.local/lib/go-xla/nvidia, or put pjrt_c_api_cuda_plugin.so there", gpu, mlx.PluginPathEnv, v)
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		return true, fmt.Errorf("GPU %s found, but the CUDA plugin wheels exist for linux/amd64 only", gpu)
	}
	dir, err := pluginInstallDir()
	if err != nil {
		return true, err
	}
	var tried []string
	if j, ok := findJaxCUDA(sitePackages()); ok {
		if err := linkJaxCUDA(j, dir); err == nil {
			fmt.Fprintf(w, "  XLA CUDA plugin: GPU %s; linked %s -> %s (installed by Python's jax)\n",
				gpu, filepath.Join(dir, "nvidia", "pjrt_c_api_cuda_plugin.so"), j.plugin)
			if j.nvidia == "" {
				fmt.Fprintf(w, "    no nvidia/ folder next to it: the plugin will load the system's CUDA libraries\n")
			}
			return true, nil
		} else {
			tried = append(tried, "linking "+j.plugin+": "+err.Error())
		}
	}
	if old, ok := driverOlder(gpu.driver, minCUDA12Driver); ok && old {
		return true, fmt.Errorf("GPU %s: the driver is older than %s, which CUDA 12 needs; nothing installed. "+
			"Update the NVIDIA driver, then run `go run ./kernel setup` again", gpu, joinInts(minCUDA12Driver))
	}
	fmt.Fprintf(w, "  XLA CUDA plugin: GPU %s; fetching %s==%s and %d NVIDIA library wheels from PyPI "+
		"(about %s to download, %s on disk)...\n", gpu, cudaPJRTWheel.pkg, cudaPJRTWheel.version, len(cudaLibWheels),
		gigabytes(cudaDownloadBytes), gigabytes(cudaUnpackedBytes))
	if err := installCUDAWheels(w, dir); err != nil {
		tried = append(tried, err.Error())
		return true, fmt.Errorf("GPU %s found, but no CUDA plugin could be installed; tried:\n    %s\n"+
			"run `go run ./kernel setup` again once this is fixed; meanwhile the lessons use the CPU",
			gpu, strings.Join(tried, "\n    "))
	}
	fmt.Fprintf(w, "  XLA CUDA plugin: installed %s (SHA-256 of every wheel checked)\n",
		filepath.Join(dir, "nvidia", "pjrt_c_api_cuda_plugin.so"))
	return true, nil
}

// jaxCUDA is a CUDA plugin installed by Python's jax in a site-packages folder.
type jaxCUDA struct {
	plugin string // .../site-packages/jax_plugins/xla_cuda12/xla_cuda_plugin.so
	nvidia string // .../site-packages/nvidia, "" if absent
}

// findJaxCUDA looks in each site-packages folder for the plugin of the
// jax-cuda12-pjrt (or -cuda13-) wheel, which `pip install "jax[cuda12]"`
// installs.
func findJaxCUDA(sitePackages []string) (jaxCUDA, bool) {
	for _, sp := range sitePackages {
		for _, v := range []string{"xla_cuda12", "xla_cuda13"} {
			p := filepath.Join(sp, "jax_plugins", v, "xla_cuda_plugin.so")
			if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
				continue
			}
			j := jaxCUDA{plugin: p}
			if st, err := os.Stat(filepath.Join(sp, "nvidia")); err == nil && st.IsDir() {
				j.nvidia = filepath.Join(sp, "nvidia")
			}
			return j, true
		}
	}
	return jaxCUDA{}, false
}

// linkJaxCUDA makes dir/nvidia the layout go-xla expects out of links into
// site-packages: the plugin as pjrt_c_api_cuda_plugin.so, each NVIDIA library
// folder (nvidia/cublas, ... or nvidia/cu13), and bin/ptxas. The plugin then
// finds its libraries at $ORIGIN/../nvidia/... whether or not the loader
// resolves the link first.
func linkJaxCUDA(j jaxCUDA, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	stage, err := os.MkdirTemp(dir, ".nvidia-link-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage) // only left if something failed
	if err := os.Symlink(j.plugin, filepath.Join(stage, "pjrt_c_api_cuda_plugin.so")); err != nil {
		return err
	}
	if j.nvidia != "" {
		entries, err := os.ReadDir(j.nvidia)
		if err != nil {
			return err
		}
		for _, e := range entries {
			name := e.Name()
			if name == "bin" || name == "pjrt_c_api_cuda_plugin.so" || strings.HasPrefix(name, "__") || strings.HasPrefix(name, ".") {
				continue
			}
			if err := os.Symlink(filepath.Join(j.nvidia, name), filepath.Join(stage, name)); err != nil {
				return err
			}
		}
	}
	if err := linkPtxas(stage); err != nil {
		return err
	}
	return replaceDir(stage, filepath.Join(dir, "nvidia"))
}

// linkPtxas links nvidia/bin/ptxas to the ptxas of the nvcc wheel (CUDA 12:
// cuda_nvcc/bin, CUDA 13: cu13/bin), as go-xla's installer does; XLA looks
// for it there. Without one, nothing is linked (XLA then tries $PATH).
func linkPtxas(nvidia string) error {
	for _, rel := range []string{"cuda_nvcc/bin/ptxas", "cu13/bin/ptxas"} {
		if _, err := os.Stat(filepath.Join(nvidia, rel)); err != nil {
			continue
		}
		if err := os.MkdirAll(filepath.Join(nvidia, "bin"), 0o755); err != nil {
			return err
		}
		// Relative, so that the link survives the folder's rename into place.
		return os.Symlink(filepath.Join("..", filepath.FromSlash(rel)), filepath.Join(nvidia, "bin", "ptxas"))
	}
	return nil
}

// installCUDAWheels builds dir/nvidia from the pinned wheels: each NVIDIA
// library folder, the plugin, bin/ptxas. Everything happens in a temporary
// folder next to it (wheels are deleted once unpacked), renamed into place
// only when complete.
func installCUDAWheels(w io.Writer, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := checkFreeSpace(dir, cudaDiskBytes); err != nil {
		return err
	}
	stage, err := os.MkdirTemp(dir, ".nvidia-install-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	for _, wh := range cudaLibWheels {
		if err := withWheel(w, wh, stage, func(whl string) error {
			_, err := extractTree(whl, wh.member, stage)
			return err
		}); err != nil {
			return err
		}
	}
	plugin := filepath.Join(stage, "pjrt_c_api_cuda_plugin.so")
	if err := withWheel(w, cudaPJRTWheel, stage, func(whl string) error {
		return extractMember(whl, cudaPJRTWheel.member, plugin, 0o755)
	}); err != nil {
		return err
	}
	if err := linkPtxas(stage); err != nil {
		return err
	}
	return replaceDir(stage, filepath.Join(dir, "nvidia"))
}

// withWheel fetches wh into a download folder inside near (same disk as the
// install), checks its SHA-256, calls use on it and deletes it.
func withWheel(w io.Writer, wh wheel, near string, use func(whl string) error) error {
	tmp, err := os.MkdirTemp(near, ".download-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fail := func(err error) error { return fmt.Errorf("%s==%s (%s): %v", wh.pkg, wh.version, wh.file, err) }
	whl, err := fetchWheel(wh, tmp)
	if err != nil {
		return fail(err)
	}
	size := int64(0)
	if st, err := os.Stat(whl); err == nil {
		size = st.Size()
	}
	if err := use(whl); err != nil {
		return fail(err)
	}
	fmt.Fprintf(w, "    %-26s %-10s %9s  SHA-256 checked\n", wh.pkg, wh.version, humanSize(size))
	return nil
}

// extractTree unpacks every file of the zip archive under folder (e.g.
// "nvidia/cublas") into dst, keeping the path from the folder's last element
// on ("nvidia/cublas/lib/x.so" -> dst/cublas/lib/x.so). Names that would leave
// dst are refused; executables stay executable. It returns how many files it
// wrote.
func extractTree(zipPath, folder, dst string) (int, error) {
	if err := checkMemberName(folder); err != nil {
		return 0, err
	}
	zr, err := openArchive(zipPath)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	parent := path.Dir(folder)
	n := 0
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, folder+"/") || f.FileInfo().IsDir() {
			continue
		}
		if err := checkMemberName(f.Name); err != nil {
			return n, err
		}
		rel := f.Name
		if parent != "." {
			rel = strings.TrimPrefix(f.Name, parent+"/")
		}
		out, err := localPath(dst, rel)
		if err != nil {
			return n, err
		}
		mode := os.FileMode(0o644)
		if f.Mode()&0o111 != 0 {
			mode = 0o755
		}
		if err := copyMember(f, out, mode, ""); err != nil {
			return n, fmt.Errorf("unpacking %s: %v", f.Name, err)
		}
		n++
	}
	if n == 0 {
		return 0, fmt.Errorf("%s has no files under %s/", filepath.Base(zipPath), folder)
	}
	return n, nil
}

// replaceDir puts the folder stage at final, replacing what was there.
func replaceDir(stage, final string) error {
	if err := os.Chmod(stage, 0o755); err != nil { // os.MkdirTemp made it 0700
		return err
	}
	old := ""
	if _, err := os.Lstat(final); err == nil {
		old = final + ".old-" + strconv.FormatInt(time.Now().UnixNano(), 36)
		if err := os.Rename(final, old); err != nil {
			return fmt.Errorf("cannot move the previous %s aside: %v", final, err)
		}
	}
	if err := os.Rename(stage, final); err != nil {
		if old != "" {
			os.Rename(old, final)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// checkFreeSpace refuses to start an install that cannot fit.
func checkFreeSpace(dir string, need int64) error {
	free, ok := diskFree(dir)
	if !ok {
		return nil // unknown: try anyway
	}
	if free < need {
		return fmt.Errorf("this needs about %s free in %s, and only %s is free: free some space and run setup again",
			gigabytes(need), dir, gigabytes(free))
	}
	return nil
}

// diskFreeBytes returns the bytes free for this user on dir's file system.
func diskFreeBytes(dir string) (int64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return int64(st.Bavail) * int64(st.Bsize), true
}

// sitePackages lists the folders where Python packages may be installed: what
// python3 (and the project's .venv) report, and the usual places of Debian,
// Ubuntu and Colab (dist-packages) and of pip --user.
func sitePackages() []string {
	const script = "import site, sys\nps = []\ntry: ps += site.getsitepackages()\nexcept Exception: pass\n" +
		"try: ps.append(site.getusersitepackages())\nexcept Exception: pass\nprint('\\n'.join(p for p in ps + sys.path if p))"
	var cands []string
	for _, py := range []string{"python3", pythonForPip()} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := exec.CommandContext(ctx, py, "-c", script).Output()
		cancel()
		if err == nil {
			cands = append(cands, strings.Split(strings.TrimSpace(string(out)), "\n")...)
		}
	}
	globs := slices.Clone(pythonSiteGlobs)
	if home, err := os.UserHomeDir(); err == nil {
		globs = append(globs, filepath.Join(home, ".local", "lib", "python3*", "site-packages"))
	}
	for _, g := range globs {
		m, _ := filepath.Glob(g)
		cands = append(cands, m...)
	}
	var dirs []string
	for _, d := range cands {
		d = strings.TrimSpace(d)
		if d == "" || !filepath.IsAbs(d) || slices.Contains(dirs, d) {
			continue
		}
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// replaceLink makes dst a symbolic link to src (temporary name, then rename).
func replaceLink(src, dst string) error {
	tmp := dst + ".tmp-link"
	os.Remove(tmp)
	if err := os.Symlink(src, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// driverOlder reports whether driver version v ("570.124.06") is older than
// min; ok is false when v cannot be read.
func driverOlder(v string, min []int) (older, ok bool) {
	if v == "" {
		return false, false
	}
	for i, part := range strings.Split(v, ".") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return false, false
		}
		if i >= len(min) || n > min[i] {
			return false, true
		}
		if n < min[i] {
			return true, true
		}
	}
	return len(strings.Split(v, ".")) < len(min), true
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ".")
}

// gigabytes formats a size for the setup lines: "3.1 GB".
func gigabytes(n int64) string { return fmt.Sprintf("%.1f GB", float64(n)/1e9) }
