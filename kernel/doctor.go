package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/baeum-go/baeum/mlx"
)

// runDoctor reports what is installed and where; it changes nothing (data
// files are only looked for, never downloaded).
func runDoctor(root string) error {
	line := func(what, value string) { fmt.Printf("  %-12s %s\n", what, value) }
	fmt.Println("doctor:")
	line("go", output("go", "version"))
	line("GoNB", orMissing(filepath.Join(root, "bin", "gonb"), "-V"))
	line("goimports", orMissing(filepath.Join(root, "bin", "goimports"), ""))
	line("gopls", orMissing(filepath.Join(root, "bin", "gopls"), "version"))
	line("GoNB log", gonbLog(root)+" (GoNB's own messages, errors included)")
	py := filepath.Join(root, ".venv", "bin", "python")
	if _, err := os.Stat(py); err != nil {
		py = "python3"
	}
	line("python", py+": "+output(py, "--version"))
	line("Jupyter", output(py, "-c", "import importlib.metadata as m\nfor p in ('jupyterlab','nbclient','nbformat'):\n"+
		" try: print(p, m.version(p), end='  ')\n except Exception: print(p, 'MISSING', end='  ')"))
	data, _ := jupyterDataDir()
	spec := filepath.Join(data, "kernels", kernelName, "kernel.json")
	if b, err := os.ReadFile(spec); err == nil {
		line("kernelspec", spec+" ("+fmt.Sprint(len(b))+" bytes)")
	} else {
		line("kernelspec", "MISSING ("+spec+"): run `go run ./kernel setup`")
	}
	line("plugin dirs", strings.Join(mlx.PluginDirs(), ", "))
	plugins := mlx.FindPlugins(mlx.PluginDirs())
	if len(plugins) == 0 {
		line("plugins", "none: the lessons use the pure-Go backend (run `go run ./kernel setup` to install the XLA CPU plugin)")
	}
	for name, p := range plugins {
		line("plugin", name+": "+p)
	}
	printBackendTable()
	printModels(line)
	fmt.Println("data:")
	line("BAEUM_DATA", os.Getenv(mlx.DataEnv))
	missing := 0
	for _, rel := range mlx.DataFiles() {
		p, err := mlx.LocalDataPath(rel)
		if err != nil {
			missing++
			if missing <= 5 {
				line("MISSING", firstLine(err.Error()))
			}
			continue
		}
		if !strings.HasPrefix(rel, "debian-faq/") || strings.HasSuffix(rel, "/index.en.html") || strings.HasSuffix(rel, "/index.ko.html") {
			line("found", p)
		}
	}
	fmt.Printf("  %d of %d data files found and verified (SHA-256)\n", len(mlx.DataFiles())-missing, len(mlx.DataFiles()))
	return nil
}

func output(name string, args ...string) string {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return "ERROR: " + firstLine(strings.TrimSpace(string(out))+" "+err.Error())
	}
	return firstLine(strings.TrimSpace(string(out)))
}

func orMissing(bin, arg string) string {
	if _, err := os.Stat(bin); err != nil {
		return "MISSING (" + bin + "): run `go run ./kernel setup`"
	}
	if arg == "" {
		return bin
	}
	return bin + " " + output(bin, arg)
}

// printModels lists each pretrained model's files, found (and verified) or missing.
func printModels(line func(what, value string)) {
	dir, err := mlx.ModelsDir()
	if err != nil {
		line("models", "ERROR: "+err.Error())
		return
	}
	fmt.Printf("models: (%s; $%s overrides)\n", dir, mlx.ModelsEnv)
	for _, m := range mlx.PretrainedModels() {
		var size int64
		var missing []string
		for _, a := range m.Files {
			if _, err := mlx.ModelFile(m.Name, a.Name); err != nil {
				missing = append(missing, firstLine(err.Error()))
			}
			size += a.Size
		}
		if len(missing) == 0 {
			line("found", fmt.Sprintf("%s (%s in %d file(s), SHA-256 checked) from %s==%s",
				filepath.Join(dir, m.Name), humanSize(size), len(m.Files), m.Package, m.Version))
			continue
		}
		line("MISSING", fmt.Sprintf("%s: %d of %d files missing or damaged; first: %s",
			m.Name, len(missing), len(m.Files), missing[0]))
	}
}
