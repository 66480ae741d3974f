package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
)

// smoke runs x*x + 1 on [1, 2, 3] and checks the answer [2, 5, 10].
func smoke(b compute.Backend) error {
	exec, err := NewExec(b, func(x *Node) *Node { return OnePlus(Mul(x, x)) })
	if err != nil {
		return err
	}
	out, err := exec.Exec([]float32{1, 2, 3})
	if err != nil {
		return err
	}
	got, ok := out[0].Value().([]float32)
	if !ok || len(got) != 3 || got[0] != 2 || got[1] != 5 || got[2] != 10 {
		return fmt.Errorf("x*x+1 of [1 2 3] gave %v, want [2 5 10]", out[0].Value())
	}
	return nil
}

// backendConfigs lists what can be tried here: XLA with every plugin found,
// and the pure-Go backend.
func backendConfigs() []string {
	var configs []string
	for name := range mlx.FindPlugins(mlx.PluginDirs()) {
		configs = append(configs, "xla:"+name)
	}
	sort.Strings(configs)
	return append(configs, "go")
}

// printBackendTable runs the smoke computation on each backend and prints
// backend, device, plugin, result. It returns how many failed.
func printBackendTable() int {
	fmt.Println("\nbackends (x*x+1 on [1 2 3]):")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  BACKEND\tDEVICE\tPLUGIN\tRESULT")
	failed := 0
	for _, c := range backendConfigs() {
		b, info, err := mlx.OpenBackend(c)
		if err == nil {
			err = smoke(b)
		}
		result := "OK"
		if err != nil {
			result, failed = "ERROR: "+strings.SplitN(err.Error(), "\n", 2)[0], failed+1
		}
		plugin := info.Plugin
		if b != nil && strings.HasPrefix(c, "xla") {
			plugin = b.Description()
		}
		if info.Flags != "" {
			plugin += " " + info.Flags
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", info.Config, info.Device, plugin, result)
	}
	tw.Flush()
	fmt.Printf("  the lessons will use: %s\n\n", autoChoice())
	return failed
}

func autoChoice() string {
	if v := os.Getenv(mlx.BackendEnv); v != "" {
		return v + " (from $" + mlx.BackendEnv + ")"
	}
	return mlx.ChooseBackend("", mlx.FindPlugins(mlx.PluginDirs())) + " (automatic; set $" + mlx.BackendEnv + " to choose)"
}
