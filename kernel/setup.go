package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// env is what setup found and made: the paths the other commands use.
type env struct {
	root    string
	bin     string // holds gonb and goimports
	python  string // a Python with nbclient (and, from .venv, JupyterLab)
	jupyter string // the jupyter command, "" if only nbclient is available
	plugin  string // XLA CPU plugin, "" if none could be installed
}

// pinnedJupyter are the PyPI packages setup installs into .venv.
var pinnedJupyter = []string{"jupyterlab==4.6.6", "nbclient==0.11.0", "nbformat==5.11.1"}

func runSetup(root string, args []string) (*env, error) {
	fs := flag.NewFlagSet("setup", flag.ExitOnError)
	quiet := fs.Bool("quiet", false, "skip the backend smoke table")
	modelsOnly := fs.Bool("models-only", false, "only fetch the pretrained models (SmolLM2, all-MiniLM-L6-v2)")
	_ = fs.Parse(args)
	start := time.Now()
	fmt.Println("setup:")
	e := &env{root: root, bin: filepath.Join(root, "bin")}
	if *modelsOnly {
		if err := ensureModels(); err != nil {
			return nil, fmt.Errorf("pretrained models: %v", err)
		}
		fmt.Printf("setup done in %.1fs\n", time.Since(start).Seconds())
		return e, nil
	}
	if err := buildTools(e); err != nil {
		return nil, err
	}
	if err := ensureJupyter(e); err != nil {
		return nil, err
	}
	spec, err := writeKernelspec(e)
	if err != nil {
		return nil, err
	}
	fmt.Printf("  kernelspec %q (%q) written to %s\n", kernelName, kernelDisplayName, spec)
	if e.plugin, err = ensureCPUPlugin(); err != nil {
		fmt.Printf("  WARNING: %v\n  the lessons will run on the pure-Go backend\n", err)
	}
	if err := ensureAccelerators(); err != nil {
		fmt.Printf("  WARNING: %v\n  the lessons will run on the CPU until this is fixed\n", err)
	}
	if err := ensureModels(); err != nil {
		fmt.Printf("  WARNING: pretrained models: %v\n  the lessons that load a pretrained model will stop with this error\n", err)
	}
	if err := runData(nil); err != nil {
		fmt.Printf("  WARNING: %v\n  the lessons that read these files will stop with this error; run `go run ./kernel data` to retry\n", err)
	}
	if !*quiet {
		printBackendTable()
	}
	fmt.Printf("setup done in %.1fs\n", time.Since(start).Seconds())
	return e, nil
}

// buildTools builds GoNB and goimports at the versions go.mod pins (a `go
// build` of required modules works where `go install module@version`, which
// needs the proxy's version lists, does not).
func buildTools(e *env) error {
	cmd := exec.Command("go", "build", "-o", e.bin+string(os.PathSeparator),
		"github.com/janpfeifer/gonb", "golang.org/x/tools/cmd/goimports")
	cmd.Dir = e.root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building GoNB and goimports failed: %v\n%s", err, out)
	}
	fmt.Printf("  GoNB and goimports built into %s (versions pinned in go.mod)\n", e.bin)
	if err := buildGopls(e); err != nil {
		// Optional: without gopls GoNB runs every cell, only without autocompletion.
		fmt.Printf("  WARNING: gopls (autocompletion in the notebooks) could not be built: %v\n", err)
	}
	return nil
}

// buildGopls builds gopls from kernel/gopls, a module of its own (see its
// tools.go), unless bin/gopls is newer than that module's files.
func buildGopls(e *env) error {
	dir := filepath.Join(e.root, "kernel", "gopls")
	dst := filepath.Join(e.bin, "gopls")
	if newerThan(dst, filepath.Join(dir, "go.mod"), filepath.Join(dir, "go.sum")) {
		return nil
	}
	fmt.Println("  building gopls (once; about a minute)...")
	cmd := exec.Command("go", "build", "-o", dst+".tmp", "golang.org/x/tools/gopls")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v\n%s", err, out)
	}
	return os.Rename(dst+".tmp", dst)
}

// newerThan reports whether path exists and was modified after every one of others.
func newerThan(path string, others ...string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	for _, o := range others {
		if ost, err := os.Stat(o); err != nil || !st.ModTime().After(ost.ModTime()) {
			return false
		}
	}
	return true
}

// ensureJupyter finds or installs Jupyter: the project's .venv (JupyterLab and
// nbclient from PyPI), else a system Jupyter with nbclient (e.g. Debian's
// packages), else it creates .venv with pip, else, as root, installs Debian's
// packages.
func ensureJupyter(e *env) error {
	venvPy := filepath.Join(e.root, ".venv", "bin", "python")
	if hasModules(venvPy, "nbclient", "jupyterlab") {
		e.python, e.jupyter = venvPy, filepath.Join(e.root, ".venv", "bin", "jupyter")
		fmt.Printf("  Jupyter: %s (already installed)\n", filepath.Join(e.root, ".venv"))
		return nil
	}
	var tried []string
	if err := makeVenv(e.root); err == nil {
		e.python, e.jupyter = venvPy, filepath.Join(e.root, ".venv", "bin", "jupyter")
		fmt.Printf("  Jupyter: installed %s into %s\n", strings.Join(pinnedJupyter, " "), filepath.Join(e.root, ".venv"))
		return nil
	} else {
		tried = append(tried, ".venv with pip: "+err.Error())
	}
	if hasModules("python3", "nbclient") {
		e.python = "python3"
		if j, err := exec.LookPath("jupyter"); err == nil {
			e.jupyter = j
		}
		fmt.Println("  Jupyter: using the system's python3 (nbclient found)")
		return nil
	}
	if os.Geteuid() == 0 {
		if _, err := exec.LookPath("apt-get"); err == nil {
			fmt.Println("  Jupyter: pip failed; installing Debian's jupyter-notebook and python3-nbclient...")
			cmd := exec.Command("apt-get", "install", "-y", "-q", "jupyter-notebook", "python3-nbclient", "python3-nbformat")
			cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
			if out, err := cmd.CombinedOutput(); err == nil && hasModules("python3", "nbclient") {
				e.python, e.jupyter = "python3", "jupyter"
				return nil
			} else {
				tried = append(tried, "apt-get: "+lastLines(string(out), 3))
			}
		}
	}
	return fmt.Errorf("no Jupyter could be installed; tried:\n    %s\n"+
		"install Python 3 with pip (Debian: apt-get install python3-venv python3-pip) and run setup again",
		strings.Join(tried, "\n    "))
}

func makeVenv(root string) error {
	venv := filepath.Join(root, ".venv")
	if _, err := os.Stat(filepath.Join(venv, "bin", "pip")); errors.Is(err, os.ErrNotExist) {
		if out, err := exec.Command("python3", "-m", "venv", venv).CombinedOutput(); err != nil {
			return fmt.Errorf("python3 -m venv: %v: %s", err, lastLines(string(out), 2))
		}
	}
	args := append([]string{"install", "--quiet", "--disable-pip-version-check"}, pinnedJupyter...)
	if out, err := exec.Command(filepath.Join(venv, "bin", "pip"), args...).CombinedOutput(); err != nil {
		return fmt.Errorf("pip install: %v: %s", err, lastLines(string(out), 3))
	}
	return nil
}

func hasModules(python string, modules ...string) bool {
	script := "import " + strings.Join(modules, ", ")
	return exec.Command(python, "-c", script).Run() == nil
}

// pythonForPip is the Python whose pip downloads wheels: the project's .venv
// if it has pip (a venv made where ensurepip is missing has none), else
// python3.
func pythonForPip() string {
	if wd, err := os.Getwd(); err == nil {
		p := filepath.Join(wd, ".venv", "bin", "python")
		if hasModules(p, "pip") {
			return p
		}
	}
	return "python3"
}
