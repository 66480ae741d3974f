package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestNotebookInBrowser opens notebooks/en/00-welcome.ipynb in JupyterLab with
// headless Chromium, runs every cell as a learner would, and checks that the
// code excerpt of show.Code renders highlighted (kernel/testdata/
// browser_check.mjs; screenshot in .baeum/browser/00-welcome-code.png). It
// skips where Chromium, Node, playwright-core (`bash .ci/browser-setup`),
// Jupyter or the kernelspec (`go run ./kernel setup`) are missing.
func TestNotebookInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser test")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	node, _ := exec.LookPath("node")
	modules := filepath.Join(root, ".baeum", "browser", "node_modules")
	jupyter := filepath.Join(root, ".venv", "bin", "jupyter")
	data, _ := jupyterDataDir()
	for what, path := range map[string]string{
		"Chromium (bash .ci/browser-setup)": chromium,
		"node":                              node,
		"playwright-core (bash .ci/browser-setup)": filepath.Join(modules, "playwright-core"),
		"Jupyter (go run ./kernel setup)":          jupyter,
		"the kernelspec (go run ./kernel setup)":   filepath.Join(data, "kernels", kernelName, "kernel.json"),
	} {
		if _, err := os.Stat(path); path == "" || err != nil {
			t.Skipf("no %s: skipping the browser test", what)
		}
	}

	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	token := "browser-test"
	// Autosave off (settings in a temporary folder), so the committed
	// notebook is never written with outputs.
	settings := t.TempDir()
	plugin := filepath.Join(settings, "@jupyterlab", "docmanager-extension")
	if err := os.MkdirAll(plugin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(plugin, "plugin.jupyterlab-settings"), []byte(`{"autosave": false}`), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append(labArgs(root, port, token), "--no-browser",
		"--LabApp.user_settings_dir="+settings, "--LabApp.workspaces_dir="+t.TempDir())
	lab := exec.Command(jupyter, args...)
	lab.Env = append(os.Environ(), "GOPROXY=off", "JUPYTER_CONFIG_DIR="+t.TempDir())
	lab.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logPath := filepath.Join(t.TempDir(), "lab.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	lab.Stdout, lab.Stderr = logFile, logFile
	if err := lab.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		syscall.Kill(-lab.Process.Pid, syscall.SIGTERM) // JupyterLab and its kernels
		lab.Wait()
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitHTTP(base+"/api/status?token="+token, 90*time.Second); err != nil {
		log, _ := os.ReadFile(logPath)
		t.Fatalf("JupyterLab did not start: %v\n%s", err, log)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	shot := filepath.Join(root, ".baeum", "browser", "00-welcome-code.png")
	check := exec.CommandContext(ctx, node, filepath.Join("testdata", "browser_check.mjs"),
		base+"/lab/tree/en/00-welcome.ipynb?token="+token, shot)
	check.Env = append(os.Environ(), "NODE_PATH="+modules, "CHROMIUM="+chromium)
	out, err := check.CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(logPath)
		t.Fatalf("browser check failed: %v\n%s\nJupyterLab's log:\n%s", err, out, log)
	}
	t.Logf("rendered: %s(screenshot %s)", out, shot)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitHTTP(url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(500 * time.Millisecond)
	}
}
