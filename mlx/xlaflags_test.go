package mlx

import "testing"

func TestWithYNNDots(t *testing.T) {
	for _, c := range []struct {
		flags      string
		minor      int
		want, flag string
	}{
		{"", 106, "--xla_cpu_experimental_ynn_fusion_type=+dot", ynnDots},
		{"--xla_dump_to=/tmp/d", 114, "--xla_dump_to=/tmp/d " + ynnDots, ynnDots},
		{"", 81, "", ""}, // older plugin: Eigen stays faster
		{"--xla_cpu_experimental_ynn_fusion_type=", 106, "--xla_cpu_experimental_ynn_fusion_type=", ""}, // the user's choice wins
	} {
		got, flag := withYNNDots(c.flags, c.minor)
		if got != c.want || flag != c.flag {
			t.Errorf("withYNNDots(%q, %d) = %q, %q; want %q, %q", c.flags, c.minor, got, flag, c.want, c.flag)
		}
	}
}

func TestPrepareXLA(t *testing.T) {
	plugins := map[string]string{"cpu": "/nowhere/pjrt_c_api_cpu_plugin.so", "cuda": "/nowhere/pjrt_c_api_cuda_plugin.so"}
	for _, c := range []struct{ config, plugin string }{
		{"go", ""},
		{"xla:cuda", plugins["cuda"]},
		{"xla:cpu", plugins["cpu"]}, // the CPU plugin: tuned, but it does not load here
		{"xla:" + plugins["cpu"] + ",shared_buffers", plugins["cpu"]}, // newAutoXLA's form
		{"xla:/elsewhere/p.so", "/elsewhere/p.so"},
	} {
		plugin, flags := prepareXLA(c.config, plugins)
		if plugin != c.plugin || flags != "" {
			t.Errorf("prepareXLA(%q) = %q, %q; want %q and no flags", c.config, plugin, flags, c.plugin)
		}
	}
}
