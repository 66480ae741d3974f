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
