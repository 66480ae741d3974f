package solutions

// AllReduce adds the parts up once and gives every device a copy of the
// sum (what the collective computes; the ring algorithm only changes who
// sends what to whom).
func AllReduce(parts [][]float64) [][]float64 {
	sum := make([]float64, len(parts[0]))
	for _, p := range parts {
		for i, v := range p {
			sum[i] += v
		}
	}
	out := make([][]float64, len(parts))
	for d := range out {
		out[d] = append([]float64(nil), sum...)
	}
	return out
}
