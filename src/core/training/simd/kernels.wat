;; SIMD kernels of the single-hop training step (see ../fusedKernels.ts), working in place on the
;; memory of tfjs-backend-wasm: every pointer is a byte offset of a tensor's data on its heap.
;; Assembled by `npm run build:simd` into kernelsWasm.ts. Shapes: R relations, N subjects, k the
;; width of a row (d or m); rows = R·N facts, relation-major. N and k must be multiples of 4.
(module
  (import "env" "memory" (memory 1))

  ;; Stores the transpose of the 4×4 block whose rows are r0..r3 at dst, dst + stride, dst + 2·stride,
  ;; dst + 3·stride (stride in bytes): column c of the block becomes the 4 floats at dst + c·stride.
  (func $store_transposed (param $dst i32) (param $stride i32) (param $r0 v128) (param $r1 v128) (param $r2 v128) (param $r3 v128)
    (local $lo01 v128) (local $lo23 v128) (local $hi01 v128) (local $hi23 v128)
    (local.set $lo01 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
    (local.set $lo23 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
    (local.set $hi01 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
    (local.set $hi23 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
    (v128.store (local.get $dst)
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo01) (local.get $lo23)))
    (v128.store (i32.add (local.get $dst) (local.get $stride))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $lo01) (local.get $lo23)))
    (v128.store (i32.add (local.get $dst) (i32.shl (local.get $stride) (i32.const 1)))
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $hi01) (local.get $hi23)))
    (v128.store (i32.add (local.get $dst) (i32.mul (local.get $stride) (i32.const 3)))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $hi01) (local.get $hi23))))

  ;; out[r,s,:] = base[r,:] + a[r,s]·(y0[s,:] − y1[r,:]) for every relation r and subject s, through a
  ;; ReLU if `relu`, and, unless outT is 0, also out transposed into outT [k, rows]. (The MLP's hidden
  ;; layer: relu(Ar + a·(M0 − M1)) with its transpose; the attention's output h = C + a·(O0 − O1).)
  ;; Subjects go 16 at a time where they can, so each 64-byte line of outT is written whole: its rows
  ;; lie `rows`·4 bytes apart, often a power of two, where scattered small stores thrash the cache.
  (func (export "mix_rows") (param $base i32) (param $a i32) (param $y0 i32) (param $y1 i32)
        (param $out i32) (param $outT i32) (param $r i32) (param $n i32) (param $k i32) (param $relu i32)
    (local $rel i32) (local $s i32) (local $j i32) (local $q i32) (local $nsub i32) (local $rows i32) (local $rowBytes i32)
    (local $baseRow i32) (local $y1Row i32) (local $i0 i32) (local $b v128) (local $sub v128) (local $floor v128)
    (local $h0 v128) (local $h1 v128) (local $h2 v128) (local $h3 v128)
    (local.set $rows (i32.mul (local.get $r) (local.get $n)))
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    ;; max with 0 for the ReLU, with −∞ (a no-op) otherwise
    (local.set $floor (f32x4.splat (select (f32.const 0) (f32.const -inf) (local.get $relu))))
    (local.set $rel (i32.const 0))
    (loop $relations
      (local.set $baseRow (i32.add (local.get $base) (i32.mul (local.get $rel) (local.get $rowBytes))))
      (local.set $y1Row (i32.add (local.get $y1) (i32.mul (local.get $rel) (local.get $rowBytes))))
      (local.set $s (i32.const 0))
      (loop $subjects
        (local.set $nsub (select (i32.const 4) (i32.const 1) (i32.le_u (i32.add (local.get $s) (i32.const 16)) (local.get $n))))
        (local.set $j (i32.const 0))
        (loop $units
          (local.set $b (v128.load (i32.add (local.get $baseRow) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $sub (v128.load (i32.add (local.get $y1Row) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $q (i32.const 0))
          (loop $quads
            ;; facts i0 .. i0+3 (subjects s+4q .. s+4q+3) at units j..j+3
            (local.set $i0 (i32.add (i32.add (i32.mul (local.get $rel) (local.get $n)) (local.get $s)) (i32.shl (local.get $q) (i32.const 2))))
            (local.set $h0 (call $mix (local.get $b) (local.get $sub) (local.get $floor) (local.get $a) (local.get $y0) (local.get $i0) (i32.sub (local.get $i0) (i32.mul (local.get $rel) (local.get $n))) (i32.const 0) (local.get $j) (local.get $k)))
            (local.set $h1 (call $mix (local.get $b) (local.get $sub) (local.get $floor) (local.get $a) (local.get $y0) (local.get $i0) (i32.sub (local.get $i0) (i32.mul (local.get $rel) (local.get $n))) (i32.const 1) (local.get $j) (local.get $k)))
            (local.set $h2 (call $mix (local.get $b) (local.get $sub) (local.get $floor) (local.get $a) (local.get $y0) (local.get $i0) (i32.sub (local.get $i0) (i32.mul (local.get $rel) (local.get $n))) (i32.const 2) (local.get $j) (local.get $k)))
            (local.set $h3 (call $mix (local.get $b) (local.get $sub) (local.get $floor) (local.get $a) (local.get $y0) (local.get $i0) (i32.sub (local.get $i0) (i32.mul (local.get $rel) (local.get $n))) (i32.const 3) (local.get $j) (local.get $k)))
            (v128.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i0) (local.get $k)) (local.get $j)) (i32.const 2))) (local.get $h0))
            (v128.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $i0) (i32.const 1)) (local.get $k)) (local.get $j)) (i32.const 2))) (local.get $h1))
            (v128.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $i0) (i32.const 2)) (local.get $k)) (local.get $j)) (i32.const 2))) (local.get $h2))
            (v128.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $i0) (i32.const 3)) (local.get $k)) (local.get $j)) (i32.const 2))) (local.get $h3))
            (if (local.get $outT)
              (then
                (call $store_transposed
                  (i32.add (local.get $outT) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i0)) (i32.const 2)))
                  (i32.shl (local.get $rows) (i32.const 2))
                  (local.get $h0) (local.get $h1) (local.get $h2) (local.get $h3))))
            (br_if $quads (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1))) (local.get $nsub))))
          (br_if $units (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (local.get $k))))
        (br_if $subjects (i32.lt_u (local.tee $s (i32.add (local.get $s) (i32.shl (local.get $nsub) (i32.const 2)))) (local.get $n))))
      (br_if $relations (i32.lt_u (local.tee $rel (i32.add (local.get $rel) (i32.const 1))) (local.get $r)))))

  ;; max(b + a[i0+c]·(y0[s+c, j..j+3] − sub), floor)
  (func $mix (param $b v128) (param $sub v128) (param $floor v128) (param $a i32) (param $y0 i32) (param $i0 i32) (param $s i32) (param $c i32) (param $j i32) (param $k i32) (result v128)
    (f32x4.max
      (f32x4.add (local.get $b)
        (f32x4.mul
          (f32x4.splat (f32.load (i32.add (local.get $a) (i32.shl (i32.add (local.get $i0) (local.get $c)) (i32.const 2)))))
          (f32x4.sub
            (v128.load (i32.add (local.get $y0) (i32.shl (i32.add (i32.mul (i32.add (local.get $s) (local.get $c)) (local.get $k)) (local.get $j)) (i32.const 2))))
            (local.get $sub))))
      (local.get $floor)))

  ;; The sums the backward pass needs of dx [R·N, k] (relation-major), masked to where hidden > 0 when
  ;; `hidden` is not 0 (the ReLU's derivative, 0 at 0 as tfjs): byRel[r,:] = Σ_s dx, gR[r,:] = Σ_s a·dx,
  ;; gS[s,:] = Σ_r a·dx, dA[r,s] = Σ_j dx·(y0[s,j] − y1[r,j]); gST = gSᵀ [k, N] unless gST is 0.
  (func (export "relation_sums") (param $dx i32) (param $hidden i32) (param $a i32) (param $y0 i32) (param $y1 i32)
        (param $byRel i32) (param $gR i32) (param $gS i32) (param $gST i32) (param $dA i32) (param $r i32) (param $n i32) (param $k i32)
    (local $rel i32) (local $s i32) (local $j i32) (local $rowBytes i32) (local $row i32) (local $relRow i32) (local $sRow i32)
    (local $off i32) (local $w v128) (local $dp v128) (local $wdp v128) (local $acc v128) (local $p i32) (local $keepAll v128)
    (local $maskFrom i32)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    ;; unmasked: compare dx with itself under an all-ones mask
    (local.set $keepAll (if (result v128) (local.get $hidden) (then (v128.const i32x4 0 0 0 0)) (else (v128.const i32x4 -1 -1 -1 -1))))
    (local.set $maskFrom (select (local.get $hidden) (local.get $dx) (local.get $hidden)))
    (memory.fill (local.get $byRel) (i32.const 0) (i32.mul (local.get $r) (local.get $rowBytes)))
    (memory.fill (local.get $gR) (i32.const 0) (i32.mul (local.get $r) (local.get $rowBytes)))
    (memory.fill (local.get $gS) (i32.const 0) (i32.mul (local.get $n) (local.get $rowBytes)))
    (local.set $rel (i32.const 0))
    (loop $relations
      (local.set $relRow (i32.mul (local.get $rel) (local.get $rowBytes)))
      (local.set $s (i32.const 0))
      (loop $subjects
        (local.set $sRow (i32.mul (local.get $s) (local.get $rowBytes)))
        (local.set $row (i32.mul (i32.add (i32.mul (local.get $rel) (local.get $n)) (local.get $s)) (local.get $rowBytes)))
        (local.set $w (f32x4.splat (f32.load (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $rel) (local.get $n)) (local.get $s)) (i32.const 2))))))
        (local.set $acc (f32x4.splat (f32.const 0)))
        (local.set $j (i32.const 0))
        (loop $units
          (local.set $off (i32.add (local.get $row) (local.get $j)))
          (local.set $dp
            (v128.and
              (v128.load (i32.add (local.get $dx) (local.get $off)))
              (v128.or (f32x4.gt (v128.load (i32.add (local.get $maskFrom) (local.get $off))) (f32x4.splat (f32.const 0))) (local.get $keepAll))))
          (local.set $wdp (f32x4.mul (local.get $w) (local.get $dp)))
          (local.set $p (i32.add (local.get $byRel) (i32.add (local.get $relRow) (local.get $j))))
          (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (local.get $dp)))
          (local.set $p (i32.add (local.get $gR) (i32.add (local.get $relRow) (local.get $j))))
          (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (local.get $wdp)))
          (local.set $p (i32.add (local.get $gS) (i32.add (local.get $sRow) (local.get $j))))
          (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (local.get $wdp)))
          (local.set $acc
            (f32x4.add (local.get $acc)
              (f32x4.mul (local.get $dp)
                (f32x4.sub
                  (v128.load (i32.add (local.get $y0) (i32.add (local.get $sRow) (local.get $j))))
                  (v128.load (i32.add (local.get $y1) (i32.add (local.get $relRow) (local.get $j))))))))
          (br_if $units (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $rowBytes))))
        (f32.store
          (i32.add (local.get $dA) (i32.shl (i32.add (i32.mul (local.get $rel) (local.get $n)) (local.get $s)) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (br_if $subjects (i32.lt_u (local.tee $s (i32.add (local.get $s) (i32.const 1))) (local.get $n))))
      (br_if $relations (i32.lt_u (local.tee $rel (i32.add (local.get $rel) (i32.const 1))) (local.get $r))))
    (if (local.get $gST)
      (then
        (local.set $s (i32.const 0))
        (loop $blockRows
          (local.set $j (i32.const 0))
          (loop $blockColumns
            (local.set $p (i32.add (local.get $gS) (i32.add (i32.mul (local.get $s) (local.get $rowBytes)) (local.get $j))))
            (call $store_transposed
              (i32.add (local.get $gST) (i32.shl (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (local.get $n)) (local.get $s)) (i32.const 2)))
              (i32.shl (local.get $n) (i32.const 2))
              (v128.load (local.get $p))
              (v128.load (i32.add (local.get $p) (local.get $rowBytes)))
              (v128.load (i32.add (local.get $p) (i32.shl (local.get $rowBytes) (i32.const 1))))
              (v128.load (i32.add (local.get $p) (i32.mul (local.get $rowBytes) (i32.const 3)))))
            (br_if $blockColumns (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $rowBytes))))
          (br_if $blockRows (i32.lt_u (local.tee $s (i32.add (local.get $s) (i32.const 4))) (local.get $n)))))))

  ;; The index of the first largest of n floats at row (n a multiple of 4), in one pass: each lane keeps
  ;; its largest and where it was; then the best lane, the first index among equals.
  (func $argmax (param $row i32) (param $n i32) (result i32)
    (local $j i32) (local $end i32) (local $v v128) (local $top v128) (local $at v128) (local $cur v128) (local $mask v128)
    (local $bestValue f32) (local $bestIndex i32) (local $value f32) (local $index i32) (local $lane i32)
    (local.set $top (v128.load (local.get $row)))
    (local.set $at (v128.const i32x4 0 1 2 3))
    (local.set $cur (v128.const i32x4 4 5 6 7))
    (local.set $end (i32.add (local.get $row) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $j (i32.add (local.get $row) (i32.const 16)))
    (block $done
      (loop $scan
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $v (v128.load (local.get $j)))
        (local.set $mask (f32x4.gt (local.get $v) (local.get $top)))
        (local.set $top (v128.bitselect (local.get $v) (local.get $top) (local.get $mask)))
        (local.set $at (v128.bitselect (local.get $cur) (local.get $at) (local.get $mask)))
        (local.set $cur (i32x4.add (local.get $cur) (v128.const i32x4 4 4 4 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $scan)))
    (local.set $bestValue (f32x4.extract_lane 0 (local.get $top)))
    (local.set $bestIndex (i32x4.extract_lane 0 (local.get $at)))
    (local.set $value (f32x4.extract_lane 1 (local.get $top)))
    (local.set $index (i32x4.extract_lane 1 (local.get $at)))
    (if (i32.or (f32.gt (local.get $value) (local.get $bestValue))
                (i32.and (f32.eq (local.get $value) (local.get $bestValue)) (i32.lt_u (local.get $index) (local.get $bestIndex))))
      (then (local.set $bestValue (local.get $value)) (local.set $bestIndex (local.get $index))))
    (local.set $value (f32x4.extract_lane 2 (local.get $top)))
    (local.set $index (i32x4.extract_lane 2 (local.get $at)))
    (if (i32.or (f32.gt (local.get $value) (local.get $bestValue))
                (i32.and (f32.eq (local.get $value) (local.get $bestValue)) (i32.lt_u (local.get $index) (local.get $bestIndex))))
      (then (local.set $bestValue (local.get $value)) (local.set $bestIndex (local.get $index))))
    (local.set $value (f32x4.extract_lane 3 (local.get $top)))
    (local.set $index (i32x4.extract_lane 3 (local.get $at)))
    (if (i32.or (f32.gt (local.get $value) (local.get $bestValue))
                (i32.and (f32.eq (local.get $value) (local.get $bestValue)) (i32.lt_u (local.get $index) (local.get $bestIndex))))
      (then (local.set $bestValue (local.get $value)) (local.set $bestIndex (local.get $index))))
    (local.get $bestIndex))

  ;; Cross-entropy of `rows` facts (rows a multiple of 4) from logits and probs [rows, n]:
  ;; dL = (probs − onehot(targets))·scale and dLT = dLᵀ [n, rows]; correct[i] = 1 where the argmax of the
  ;; logits is the target; stat[2i] = max − logit of the target, stat[2i+1] = probability of the argmax
  ;; (so loss_i = stat[2i] − log stat[2i+1], finished in JS: wasm has no log). Rows go 16 at a time
  ;; where they can, so each 64-byte line of dLT is written whole (see mlp_hidden).
  (func (export "cross_entropy") (param $logits i32) (param $probs i32) (param $targets i32) (param $dL i32) (param $dLT i32)
        (param $correct i32) (param $stat i32) (param $rows i32) (param $n i32) (param $scale f32)
    (local $i0 i32) (local $k i32) (local $i i32) (local $best i32) (local $t i32) (local $rowBytes i32) (local $j i32)
    (local $q i32) (local $nsub i32) (local $size i32) (local $ri i32)
    (local $sc v128) (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $p i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $sc (f32x4.splat (local.get $scale)))
    (local.set $i0 (i32.const 0))
    (loop $groups
      (local.set $nsub (select (i32.const 4) (i32.const 1) (i32.le_u (i32.add (local.get $i0) (i32.const 16)) (local.get $rows))))
      (local.set $size (i32.shl (local.get $nsub) (i32.const 2)))
      ;; per row: argmax, hit, statistics
      (local.set $k (i32.const 0))
      (loop $stats
        (local.set $i (i32.add (local.get $i0) (local.get $k)))
        (local.set $best (call $argmax (i32.add (local.get $logits) (i32.mul (local.get $i) (local.get $rowBytes))) (local.get $n)))
        (local.set $t (i32.load (i32.add (local.get $targets) (i32.shl (local.get $i) (i32.const 2)))))
        (f32.store (i32.add (local.get $correct) (i32.shl (local.get $i) (i32.const 2)))
          (select (f32.const 1) (f32.const 0) (i32.eq (local.get $best) (local.get $t))))
        (f32.store (i32.add (local.get $stat) (i32.shl (local.get $i) (i32.const 3)))
          (f32.sub
            (f32.load (i32.add (local.get $logits) (i32.add (i32.mul (local.get $i) (local.get $rowBytes)) (i32.shl (local.get $best) (i32.const 2)))))
            (f32.load (i32.add (local.get $logits) (i32.add (i32.mul (local.get $i) (local.get $rowBytes)) (i32.shl (local.get $t) (i32.const 2)))))))
        (f32.store (i32.add (local.get $stat) (i32.add (i32.shl (local.get $i) (i32.const 3)) (i32.const 4)))
          (f32.load (i32.add (local.get $probs) (i32.add (i32.mul (local.get $i) (local.get $rowBytes)) (i32.shl (local.get $best) (i32.const 2))))))
        (br_if $stats (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $size))))
      ;; dL for the group's rows, four columns at a time, and its transpose
      (local.set $j (i32.const 0))
      (loop $columns
        (local.set $q (i32.const 0))
        (loop $quads
          (local.set $ri (i32.add (local.get $i0) (i32.shl (local.get $q) (i32.const 2))))
          (local.set $p (i32.add (i32.mul (local.get $ri) (local.get $rowBytes)) (local.get $j)))
          (local.set $v0 (f32x4.mul (v128.load (i32.add (local.get $probs) (local.get $p))) (local.get $sc)))
          (v128.store (i32.add (local.get $dL) (local.get $p)) (local.get $v0))
          (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
          (local.set $v1 (f32x4.mul (v128.load (i32.add (local.get $probs) (local.get $p))) (local.get $sc)))
          (v128.store (i32.add (local.get $dL) (local.get $p)) (local.get $v1))
          (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
          (local.set $v2 (f32x4.mul (v128.load (i32.add (local.get $probs) (local.get $p))) (local.get $sc)))
          (v128.store (i32.add (local.get $dL) (local.get $p)) (local.get $v2))
          (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
          (local.set $v3 (f32x4.mul (v128.load (i32.add (local.get $probs) (local.get $p))) (local.get $sc)))
          (v128.store (i32.add (local.get $dL) (local.get $p)) (local.get $v3))
          (call $store_transposed
            (i32.add (local.get $dLT) (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (i32.shl (local.get $rows) (i32.const 2))) (i32.shl (local.get $ri) (i32.const 2))))
            (i32.shl (local.get $rows) (i32.const 2))
            (local.get $v0) (local.get $v1) (local.get $v2) (local.get $v3))
          (br_if $quads (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1))) (local.get $nsub))))
        (br_if $columns (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $rowBytes))))
      ;; the target's entry: (p − 1)·scale, in both copies
      (local.set $k (i32.const 0))
      (loop $fix
        (local.set $i (i32.add (local.get $i0) (local.get $k)))
        (local.set $t (i32.load (i32.add (local.get $targets) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $p (i32.add (i32.mul (local.get $i) (local.get $rowBytes)) (i32.shl (local.get $t) (i32.const 2))))
        (f32.store (i32.add (local.get $dL) (local.get $p))
          (f32.mul (f32.sub (f32.load (i32.add (local.get $probs) (local.get $p))) (f32.const 1)) (local.get $scale)))
        (f32.store (i32.add (local.get $dLT) (i32.shl (i32.add (i32.mul (local.get $t) (local.get $rows)) (local.get $i)) (i32.const 2)))
          (f32.load (i32.add (local.get $dL) (local.get $p))))
        (br_if $fix (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $size))))
      (br_if $groups (i32.lt_u (local.tee $i0 (i32.add (local.get $i0) (local.get $size))) (local.get $rows)))))

  ;; torch.optim.Adam on `count` floats: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
  ;; p ← decay·p − stepSize·m/(√v/rootBc2 + ε), with stepSize = lr/(1−β1ᵗ), rootBc2 = √(1−β2ᵗ) and
  ;; decay = 1 − lr·wd (decoupled weight decay; 1 without it); 1−β1 and 1−β2 come rounded from
  ;; float64, as PyTorch rounds them.
  (func (export "adam") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $pOut i32) (param $mOut i32) (param $vOut i32)
        (param $count i32) (param $stepSize f32) (param $rootBc2 f32) (param $beta1 f32) (param $beta2 f32) (param $eps f32)
        (param $oneMinusBeta1 f32) (param $oneMinusBeta2 f32) (param $decay f32)
    (local $off i32) (local $vecEnd i32) (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (local.set $vecEnd (i32.and (local.get $end) (i32.const -16)))
    (local.set $off (i32.const 0))
    (block $vecDone
      (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $off) (local.get $vecEnd)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $off))))
        (local.set $mv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $off))) (f32x4.splat (local.get $beta1)))
            (f32x4.mul (local.get $gv) (f32x4.splat (local.get $oneMinusBeta1)))))
        (local.set $vv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $off))) (f32x4.splat (local.get $beta2)))
            (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $oneMinusBeta2)))))
        (v128.store (i32.add (local.get $mOut) (local.get $off)) (local.get $mv))
        (v128.store (i32.add (local.get $vOut) (local.get $off)) (local.get $vv))
        (v128.store (i32.add (local.get $pOut) (local.get $off))
          (f32x4.sub (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $off))) (f32x4.splat (local.get $decay)))
            (f32x4.mul (f32x4.splat (local.get $stepSize))
              (f32x4.div (local.get $mv)
                (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vv)) (f32x4.splat (local.get $rootBc2))) (f32x4.splat (local.get $eps)))))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $vec)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $off))))
        (local.set $ms
          (f32.add (f32.mul (f32.load (i32.add (local.get $m) (local.get $off))) (local.get $beta1))
            (f32.mul (local.get $gs) (local.get $oneMinusBeta1))))
        (local.set $vs
          (f32.add (f32.mul (f32.load (i32.add (local.get $v) (local.get $off))) (local.get $beta2))
            (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $oneMinusBeta2))))
        (f32.store (i32.add (local.get $mOut) (local.get $off)) (local.get $ms))
        (f32.store (i32.add (local.get $vOut) (local.get $off)) (local.get $vs))
        (f32.store (i32.add (local.get $pOut) (local.get $off))
          (f32.sub (f32.mul (f32.load (i32.add (local.get $p) (local.get $off))) (local.get $decay))
            (f32.mul (local.get $stepSize)
              (f32.div (local.get $ms)
                (f32.add (f32.div (f32.sqrt (local.get $vs)) (local.get $rootBc2)) (local.get $eps))))))
        (local.set $off (i32.add (local.get $off) (i32.const 4)))
        (br $tail))))

  ;; torch.optim.SGD (no dampening, no Nesterov) on `count` floats: buf ← μ·buf + g, then
  ;; p ← decay·p − lr·buf, or with $sign set (sign descent) p ← decay·p − lr·sign(buf), sign(0) = 0.
  ;; μ = 0 is plain gradient descent (buf = g).
  (func $sgdUpdate (param $b v128) (param $sign i32) (result v128)
    (if (result v128) (local.get $sign)
      (then
        (f32x4.sub
          (v128.and (f32x4.gt (local.get $b) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1))
          (v128.and (f32x4.lt (local.get $b) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1))))
      (else (local.get $b))))
  (func (export "sgd") (param $p i32) (param $g i32) (param $buf i32) (param $pOut i32) (param $bufOut i32)
        (param $count i32) (param $lr f32) (param $momentum f32) (param $decay f32) (param $sign i32)
    (local $off i32) (local $vecEnd i32) (local $end i32) (local $bv v128) (local $bs f32)
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (local.set $vecEnd (i32.and (local.get $end) (i32.const -16)))
    (local.set $off (i32.const 0))
    (block $vecDone
      (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $off) (local.get $vecEnd)))
        (local.set $bv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $buf) (local.get $off))) (f32x4.splat (local.get $momentum)))
            (v128.load (i32.add (local.get $g) (local.get $off)))))
        (v128.store (i32.add (local.get $bufOut) (local.get $off)) (local.get $bv))
        (v128.store (i32.add (local.get $pOut) (local.get $off))
          (f32x4.sub (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $off))) (f32x4.splat (local.get $decay)))
            (f32x4.mul (f32x4.splat (local.get $lr)) (call $sgdUpdate (local.get $bv) (local.get $sign)))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $vec)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $bs
          (f32.add (f32.mul (f32.load (i32.add (local.get $buf) (local.get $off))) (local.get $momentum))
            (f32.load (i32.add (local.get $g) (local.get $off)))))
        (f32.store (i32.add (local.get $bufOut) (local.get $off)) (local.get $bs))
        (f32.store (i32.add (local.get $pOut) (local.get $off))
          (f32.sub (f32.mul (f32.load (i32.add (local.get $p) (local.get $off))) (local.get $decay))
            (f32.mul (local.get $lr)
              (if (result f32) (local.get $sign)
                (then (f32.convert_i32_s (i32.sub (f32.gt (local.get $bs) (f32.const 0)) (f32.lt (local.get $bs) (f32.const 0)))))
                (else (local.get $bs))))))
        (local.set $off (i32.add (local.get $off) (i32.const 4)))
        (br $tail))))
)
