package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/baeum-go/baeum/mlx"
)

const (
	kernelName        = "baeum"
	kernelDisplayName = "Go (Baeum)"
)

// kernelspec is Jupyter's kernel.json.
type kernelspec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
}

// newKernelspec describes GoNB from bin/, with bin/ (goimports) and the go
// command's folder first on the kernel's PATH.
func newKernelspec(bin, goBin, path string) kernelspec {
	return kernelspec{
		// GoNB logs every cell it runs at INFO level, and a few lines at
		// ERROR level on every start (a self-test "Error message" and, without
		// gopls, a hint to install it) that would fill the terminal and the
		// test log. klog's own flags send everything to .baeum/gonb.log (kept
		// under 10 MB), where `kernel doctor` points when GoNB misbehaves.
		Argv: []string{filepath.Join(bin, "gonb"), "--kernel", "{connection_file}",
			"--logtostderr=false", "--stderrthreshold=FATAL",
			"--log_file=" + gonbLog(filepath.Dir(bin)), "--log_file_max_size=10"},
		DisplayName:   kernelDisplayName,
		Language:      "go",
		InterruptMode: "message",
		Env:           map[string]string{"PATH": joinPath(bin, goBin, path)},
	}
}

// gonbLog is GoNB's log file, under the repository root.
func gonbLog(root string) string { return filepath.Join(root, ".baeum", "gonb.log") }

// joinPath joins PATH lists, keeping the first of repeated folders (`go run`
// puts GOROOT/bin in front of its children's PATH every time).
func joinPath(lists ...string) string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		for _, d := range filepath.SplitList(l) {
			if d != "" && !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return strings.Join(out, string(os.PathListSeparator))
}

// jupyterDataDir is where Jupyter looks for user kernelspecs.
func jupyterDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// writeKernelspec writes kernels/baeum/kernel.json in the user's Jupyter data
// folder (seen by the project's JupyterLab and by any other Jupyter).
func writeKernelspec(e *env) (string, error) {
	goPath, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("the go command is not on PATH: %v", err)
	}
	goPath, _ = filepath.Abs(goPath)
	data, err := jupyterDataDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(data, "kernels", kernelName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(gonbLog(e.root)), 0o755); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(newKernelspec(e.bin, filepath.Dir(goPath), os.Getenv("PATH")), "", "  ")
	if err != nil {
		return "", err
	}
	return dir, mlx.WriteFileAtomic(filepath.Join(dir, "kernel.json"), b)
}
