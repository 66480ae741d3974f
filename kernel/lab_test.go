package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A relative data folder means the folder relative to where the command
// started, also in cells that run elsewhere.
func TestAbsolutePaths(t *testing.T) {
	t.Setenv("BAEUM_TEST_REL", "../shared/data")
	t.Setenv("BAEUM_TEST_ABS", "/opt/data")
	t.Setenv("BAEUM_TEST_EMPTY", "")
	if err := absolutePaths([]string{"BAEUM_TEST_REL", "BAEUM_TEST_ABS", "BAEUM_TEST_EMPTY"}); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if got, want := os.Getenv("BAEUM_TEST_REL"), filepath.Join(filepath.Dir(wd), "shared", "data"); got != want {
		t.Errorf("relative path became %q, want %q", got, want)
	}
	if got := os.Getenv("BAEUM_TEST_ABS"); got != "/opt/data" {
		t.Errorf("absolute path became %q", got)
	}
	if got := os.Getenv("BAEUM_TEST_EMPTY"); got != "" {
		t.Errorf("empty variable became %q", got)
	}
}

// When kernel lab is stopped by SIGTERM (not a terminal's Ctrl-C), the
// server and everything it started stop with it.
func TestRunStoppableStopsTheGroup(t *testing.T) {
	cmd := exec.Command("sh", "-c", "sleep 60 & sleep 60")
	result := make(chan error, 1)
	go func() { result <- runStoppable(cmd) }()
	time.Sleep(500 * time.Millisecond) // let sh start its children
	if cmd.Process == nil {
		t.Fatal("the command did not start")
	}
	pgid := cmd.Process.Pid
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-result:
	case <-time.After(15 * time.Second):
		t.Fatal("runStoppable did not return after SIGTERM")
	}
	time.Sleep(200 * time.Millisecond)
	if alive := liveInGroup(pgid); len(alive) > 0 {
		t.Errorf("processes %v of group %d still running after SIGTERM", alive, pgid)
	}
}

// liveInGroup lists the processes of process group pgid that are not
// zombies (a killed orphan stays a zombie until init reaps it).
func liveInGroup(pgid int) []string {
	var alive []string
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces, so read after the last ')'
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 2 && f[2] == strconv.Itoa(pgid) && f[0] != "Z" {
			alive = append(alive, s[:i+1])
		}
	}
	return alive
}
