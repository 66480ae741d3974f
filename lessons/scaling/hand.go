package scaling

// RingAllReduce is the collective behind data parallelism, in plain Go:
// every device holds a vector (parts[d]), and afterwards every device holds
// their sum. On a ring of n devices, each vector is cut into n chunks;
// in n − 1 steps of a reduce-scatter each device passes one chunk to the
// next device, which adds it to its own, until device d holds the full
// sum of chunk d+1; in n − 1 steps of an all-gather the summed chunks go
// round the ring once more. Each device sends 2(n − 1)/n of its vector,
// however many devices there are: that is why it scales. The vectors'
// length must be a multiple of the device count.
func RingAllReduce(parts [][]float64) [][]float64 {
	n := len(parts)
	size := len(parts[0]) / n
	buf := make([][]float64, n)
	for d := range parts {
		buf[d] = append([]float64(nil), parts[d]...)
	}
	chunk := func(c int) (int, int) { c = ((c % n) + n) % n; return c * size, (c + 1) * size }
	for step := range n - 1 { // reduce-scatter: device d sends chunk d − step to device d + 1
		sent := make([][]float64, n)
		for d := range n {
			lo, hi := chunk(d - step)
			sent[d] = append([]float64(nil), buf[d][lo:hi]...)
		}
		for d := range n {
			from := (d - 1 + n) % n
			lo, _ := chunk(from - step)
			for k, v := range sent[from] {
				buf[d][lo+k] += v
			}
		}
	}
	for step := range n - 1 { // all-gather: device d sends its summed chunk d + 1 − step onwards
		sent := make([][]float64, n)
		for d := range n {
			lo, hi := chunk(d + 1 - step)
			sent[d] = append([]float64(nil), buf[d][lo:hi]...)
		}
		for d := range n {
			from := (d - 1 + n) % n
			lo, _ := chunk(from + 1 - step)
			copy(buf[d][lo:], sent[from])
		}
	}
	return buf
}
