package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// runLab runs setup, then JupyterLab on 127.0.0.1 with a token, rooted at
// notebooks/.
func runLab(root string, args []string) error {
	fs := flag.NewFlagSet("lab", flag.ExitOnError)
	port := fs.Int("port", 8888, "port to listen on (127.0.0.1 only)")
	noBrowser := fs.Bool("no-browser", false, "do not open a browser")
	_ = fs.Parse(args)
	e, err := runSetup(root, []string{"--quiet"})
	if err != nil {
		return err
	}
	if e.jupyter == "" {
		return fmt.Errorf("no jupyter command found (only nbclient): run `go run ./kernel setup` with pip available")
	}
	tok := make([]byte, 24)
	if _, err := rand.Read(tok); err != nil {
		return err
	}
	token := hex.EncodeToString(tok)
	cmdArgs := labArgs(root, *port, token)
	if *noBrowser {
		cmdArgs = append(cmdArgs, "--no-browser")
	}
	fmt.Printf("\nJupyterLab: http://127.0.0.1:%d/lab?token=%s\n(open notebooks/ko or notebooks/en; the kernel is %q; Ctrl-C stops the server)\n\n",
		*port, token, kernelDisplayName)
	cmd := exec.Command(e.jupyter, cmdArgs...)
	cmd.Stdout, cmd.Stderr, cmd.Stdin = os.Stdout, os.Stderr, os.Stdin
	return runStoppable(cmd)
}

// runStoppable runs cmd in a process group of its own and, when this
// command is told to stop (Ctrl-C, SIGTERM from a process manager, SIGHUP
// when its terminal goes away), passes SIGTERM to the whole group, so that
// Jupyter and the kernels it started do not outlive it. A terminal's
// Ctrl-C reaches only this process now, and Jupyter gets it as SIGTERM:
// it shuts its kernels down without asking for confirmation.
func runStoppable(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(stop)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case sig := <-stop:
		fmt.Printf("\nkernel lab: %v: stopping JupyterLab and its kernels\n", sig)
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		return nil
	}
}

// labArgs are the arguments of `jupyter` that serve the notebooks on
// 127.0.0.1:port behind token, with the course's kernel as the default.
func labArgs(root string, port int, token string) []string {
	args := []string{"lab", "--ip=127.0.0.1", fmt.Sprintf("--port=%d", port),
		"--ServerApp.root_dir=" + filepath.Join(root, "notebooks"),
		"--IdentityProvider.token=" + token, "--MultiKernelManager.default_kernel_name=" + kernelName}
	if os.Geteuid() == 0 {
		args = append(args, "--allow-root") // containers and CI run as root
	}
	return args
}
