;; The whole-step kernels (../fusedStep.ts): a strided matrix product, a 4×4-block transpose and the
;; softmax cross-entropy of a block of logits. assemble.ts splices them into kernels.wat (whose
;; store_transposed, argmax, mix_rows, relation_sums, adam and sgd they share) as one module, twice:
;; `(f32x4.fma a b c)`, a·b + c, is written out as f32x4.relaxed_madd in one copy and as mul + add in
;; the other, for engines without relaxed SIMD. Pointers are byte offsets in the module's memory.

  ;; C = (acc ? C : 0) + A·B, C [m, n] with rows ldc bytes apart, B [k, n] with rows ldb bytes apart,
  ;; and A(i, l) at a + i·sAr + l·sAk: strides in bytes, so Aᵀ is A with its strides swapped and no
  ;; product needs a transposed copy of its left operand. n a multiple of 4; m and k anything.
  ;; Tiles of 4 rows × 8 columns keep 8 accumulators in registers (16 on x64, a few taken by V8);
  ;; each step of the inner loop loads 2 vectors of B and 4 broadcast numbers of A for 8 products.
  (func (export "gemm") (param $a i32) (param $sAr i32) (param $sAk i32) (param $b i32) (param $ldb i32)
        (param $c i32) (param $ldc i32) (param $m i32) (param $k i32) (param $n i32) (param $acc i32)
    (local $i i32) (local $j i32) (local $kk i32) (local $bp i32) (local $cp i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $t v128)
    (local.set $i (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
            (local.set $cp (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2)))))
            (if (local.get $acc)
              (then
                (local.set $c00 (v128.load (local.get $cp)))
                (local.set $c01 (v128.load offset=16 (local.get $cp)))
                (local.set $c10 (v128.load (i32.add (local.get $cp) (local.get $ldc))))
                (local.set $c11 (v128.load offset=16 (i32.add (local.get $cp) (local.get $ldc))))
                (local.set $c20 (v128.load (i32.add (local.get $cp) (i32.shl (local.get $ldc) (i32.const 1)))))
                (local.set $c21 (v128.load offset=16 (i32.add (local.get $cp) (i32.shl (local.get $ldc) (i32.const 1)))))
                (local.set $c30 (v128.load (i32.add (local.get $cp) (i32.mul (local.get $ldc) (i32.const 3)))))
                (local.set $c31 (v128.load offset=16 (i32.add (local.get $cp) (i32.mul (local.get $ldc) (i32.const 3))))))
              (else
                (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
                (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
                (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
                (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))))
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sAr))))
            (local.set $a1 (i32.add (local.get $a0) (local.get $sAr)))
            (local.set $a2 (i32.add (local.get $a1) (local.get $sAr)))
            (local.set $a3 (i32.add (local.get $a2) (local.get $sAr)))
            (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $kk (local.get $k))
            (block $kDone
              (loop $ks
                (br_if $kDone (i32.eqz (local.get $kk)))
                (local.set $b0 (v128.load (local.get $bp)))
                (local.set $b1 (v128.load offset=16 (local.get $bp)))
                (local.set $t (v128.load32_splat (local.get $a0)))
                (local.set $c00 (f32x4.fma (local.get $t) (local.get $b0) (local.get $c00)))
                (local.set $c01 (f32x4.fma (local.get $t) (local.get $b1) (local.get $c01)))
                (local.set $t (v128.load32_splat (local.get $a1)))
                (local.set $c10 (f32x4.fma (local.get $t) (local.get $b0) (local.get $c10)))
                (local.set $c11 (f32x4.fma (local.get $t) (local.get $b1) (local.get $c11)))
                (local.set $t (v128.load32_splat (local.get $a2)))
                (local.set $c20 (f32x4.fma (local.get $t) (local.get $b0) (local.get $c20)))
                (local.set $c21 (f32x4.fma (local.get $t) (local.get $b1) (local.get $c21)))
                (local.set $t (v128.load32_splat (local.get $a3)))
                (local.set $c30 (f32x4.fma (local.get $t) (local.get $b0) (local.get $c30)))
                (local.set $c31 (f32x4.fma (local.get $t) (local.get $b1) (local.get $c31)))
                (local.set $a0 (i32.add (local.get $a0) (local.get $sAk)))
                (local.set $a1 (i32.add (local.get $a1) (local.get $sAk)))
                (local.set $a2 (i32.add (local.get $a2) (local.get $sAk)))
                (local.set $a3 (i32.add (local.get $a3) (local.get $sAk)))
                (local.set $bp (i32.add (local.get $bp) (local.get $ldb)))
                (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
                (br $ks)))
            (v128.store (local.get $cp) (local.get $c00))
            (v128.store offset=16 (local.get $cp) (local.get $c01))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
            (v128.store (local.get $cp) (local.get $c10))
            (v128.store offset=16 (local.get $cp) (local.get $c11))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
            (v128.store (local.get $cp) (local.get $c20))
            (v128.store offset=16 (local.get $cp) (local.get $c21))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
            (v128.store (local.get $cp) (local.get $c30))
            (v128.store offset=16 (local.get $cp) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $cols)))
        ;; the last 4 columns when n is not a multiple of 8
        (if (i32.lt_u (local.get $j) (local.get $n))
          (then
            (call $gemm_columns
              (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sAr))) (local.get $sAr) (local.get $sAk)
              (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldb)
              (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2))))
              (local.get $ldc) (i32.const 4) (local.get $k) (local.get $acc))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows)))
    ;; the last m mod 4 rows, one at a time, 4 columns at a time
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $tcolsDone
          (loop $tcols
            (br_if $tcolsDone (i32.ge_u (local.get $j) (local.get $n)))
            (call $gemm_columns
              (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sAr))) (local.get $sAr) (local.get $sAk)
              (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldb)
              (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2))))
              (local.get $ldc) (i32.const 1) (local.get $k) (local.get $acc))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $tcols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))

  ;; One column of 4 for `rows` rows of gemm's C (the edges of the product).
  (func $gemm_columns (param $a i32) (param $sAr i32) (param $sAk i32) (param $b i32) (param $ldb i32)
        (param $c i32) (param $ldc i32) (param $rows i32) (param $k i32) (param $acc i32)
    (local $row i32) (local $kk i32) (local $ap i32) (local $bp i32) (local $cp i32) (local $v v128)
    (local.set $row (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $cp (i32.add (local.get $c) (i32.mul (local.get $row) (local.get $ldc))))
        (local.set $v (if (result v128) (local.get $acc) (then (v128.load (local.get $cp))) (else (v128.const i32x4 0 0 0 0))))
        (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $sAr))))
        (local.set $bp (local.get $b))
        (local.set $kk (local.get $k))
        (block $kDone
          (loop $ks
            (br_if $kDone (i32.eqz (local.get $kk)))
            (local.set $v (f32x4.fma (v128.load32_splat (local.get $ap)) (v128.load (local.get $bp)) (local.get $v)))
            (local.set $ap (i32.add (local.get $ap) (local.get $sAk)))
            (local.set $bp (i32.add (local.get $bp) (local.get $ldb)))
            (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
            (br $ks)))
        (v128.store (local.get $cp) (local.get $v))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $each))))

  ;; dst [cols, rows] = src [rows, cols]ᵀ, rows and cols multiples of 4, in 4×4 blocks; dst's rows lie
  ;; ldDst bytes apart (padded, so that a product walking down its columns does not hit one cache set).
  (func (export "transpose") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $ldDst i32)
    (local $i i32) (local $j i32) (local $p i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $blockRows
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $j (i32.const 0))
        (loop $blockColumns
          (local.set $p (i32.add (local.get $src) (i32.add (i32.mul (local.get $i) (local.get $rowBytes)) (i32.shl (local.get $j) (i32.const 2)))))
          (call $store_transposed
            (i32.add (local.get $dst) (i32.add (i32.mul (local.get $j) (local.get $ldDst)) (i32.shl (local.get $i) (i32.const 2))))
            (local.get $ldDst)
            (v128.load (local.get $p))
            (v128.load (i32.add (local.get $p) (local.get $rowBytes)))
            (v128.load (i32.add (local.get $p) (i32.shl (local.get $rowBytes) (i32.const 1))))
            (v128.load (i32.add (local.get $p) (i32.mul (local.get $rowBytes) (i32.const 3)))))
          (br_if $blockColumns (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (local.get $cols))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $blockRows))))

  ;; In place over logits [rows, n] (n a multiple of 4, rows ld bytes apart): dlogits = (softmax − onehot(targets))·scale;
  ;; correct[i] = 1 where the first argmax is the target; stat[2i] = max − logit of the target and
  ;; stat[2i+1] = Σ exp(logit − max), so loss_i = stat[2i] + log stat[2i+1] (finished in JS: wasm has
  ;; no log). exp is Cephes' expf (degree-6 polynomial after 2ⁿ range reduction, ~1 ulp); its argument
  ;; is ≤ 0 here, clamped at −87.3 so that 2ⁿ stays a normal number.
  (func (export "softmax_xent") (param $logits i32) (param $targets i32) (param $correct i32) (param $stat i32)
        (param $rows i32) (param $n i32) (param $ld i32) (param $scale f32)
    (local $i i32) (local $row i32) (local $end i32) (local $p i32) (local $best i32) (local $t i32)
    (local $mx f32) (local $s f32) (local $mxv v128) (local $sum v128) (local $x v128) (local $fx v128) (local $y v128) (local $f v128)
    (local.set $i (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $row (i32.add (local.get $logits) (i32.mul (local.get $i) (local.get $ld))))
        (local.set $end (i32.add (local.get $row) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $best (call $argmax (local.get $row) (local.get $n)))
        (local.set $t (i32.load (i32.add (local.get $targets) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $mx (f32.load (i32.add (local.get $row) (i32.shl (local.get $best) (i32.const 2)))))
        (f32.store (i32.add (local.get $correct) (i32.shl (local.get $i) (i32.const 2)))
          (select (f32.const 1) (f32.const 0) (i32.eq (local.get $best) (local.get $t))))
        (f32.store (i32.add (local.get $stat) (i32.shl (local.get $i) (i32.const 3)))
          (f32.sub (local.get $mx) (f32.load (i32.add (local.get $row) (i32.shl (local.get $t) (i32.const 2))))))
        (local.set $mxv (f32x4.splat (local.get $mx)))
        (local.set $sum (v128.const i32x4 0 0 0 0))
        (local.set $p (local.get $row))
        (loop $exps
          (local.set $x (f32x4.max (f32x4.sub (v128.load (local.get $p)) (local.get $mxv)) (v128.const f32x4 -87.33654 -87.33654 -87.33654 -87.33654)))
          (local.set $fx (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
          (local.set $x (f32x4.fma (local.get $fx) (v128.const f32x4 -0.693359375 -0.693359375 -0.693359375 -0.693359375) (local.get $x)))
          (local.set $x (f32x4.fma (local.get $fx) (v128.const f32x4 2.12194440e-4 2.12194440e-4 2.12194440e-4 2.12194440e-4) (local.get $x)))
          (local.set $y (f32x4.fma (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4) (local.get $x)
            (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
          (local.set $y (f32x4.fma (local.get $y) (local.get $x) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
          (local.set $y (f32x4.fma (local.get $y) (local.get $x) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
          (local.set $y (f32x4.fma (local.get $y) (local.get $x) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
          (local.set $y (f32x4.fma (local.get $y) (local.get $x) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
          (local.set $y (f32x4.fma (local.get $y) (f32x4.mul (local.get $x) (local.get $x))
            (f32x4.add (local.get $x) (v128.const f32x4 1 1 1 1))))
          ;; × 2ⁿ, built in the exponent bits
          (local.set $y (f32x4.mul (local.get $y)
            (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $fx)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
          (v128.store (local.get $p) (local.get $y))
          (local.set $sum (f32x4.add (local.get $sum) (local.get $y)))
          (br_if $exps (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
        (local.set $s
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
            (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum)))))
        (f32.store (i32.add (local.get $stat) (i32.add (i32.shl (local.get $i) (i32.const 3)) (i32.const 4))) (local.get $s))
        (local.set $f (f32x4.splat (f32.div (local.get $scale) (local.get $s))))
        (local.set $p (local.get $row))
        (loop $normalise
          (v128.store (local.get $p) (f32x4.mul (v128.load (local.get $p)) (local.get $f)))
          (br_if $normalise (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
        (local.set $p (i32.add (local.get $row) (i32.shl (local.get $t) (i32.const 2))))
        (f32.store (local.get $p) (f32.sub (f32.load (local.get $p)) (local.get $scale)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; mix_rows (kernels.wat) with its four rows a quad written out in place instead of called: out[r,s,:] =
  ;; max(base[r,:] + a[r,s]·(y0[s,:] − y1[r,:]), floor) and, unless outT is 0, outT = outᵀ [k, R·N]. The
  ;; call per four numbers cost half of mix_rows' time at S. Subjects 16 at a time where they can.
  (func (export "mix_quads") (param $base i32) (param $a i32) (param $y0 i32) (param $y1 i32)
        (param $out i32) (param $outT i32) (param $r i32) (param $n i32) (param $k i32) (param $relu i32)
    (local $rel i32) (local $s i32) (local $j i32) (local $q i32) (local $nsub i32) (local $rows i32) (local $rowBytes i32)
    (local $i0 i32) (local $ap i32) (local $y0p i32) (local $op i32) (local $b v128) (local $sub v128) (local $floor v128)
    (local $h0 v128) (local $h1 v128) (local $h2 v128) (local $h3 v128)
    (local.set $rows (i32.mul (local.get $r) (local.get $n)))
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 2)))
    (local.set $floor (f32x4.splat (select (f32.const 0) (f32.const -inf) (local.get $relu))))
    (local.set $rel (i32.const 0))
    (loop $relations
      (local.set $s (i32.const 0))
      (loop $subjects
        (local.set $nsub (select (i32.const 4) (i32.const 1) (i32.le_u (i32.add (local.get $s) (i32.const 16)) (local.get $n))))
        (local.set $j (i32.const 0))
        (loop $units
          (local.set $b (v128.load (i32.add (local.get $base) (i32.add (i32.mul (local.get $rel) (local.get $rowBytes)) (local.get $j)))))
          (local.set $sub (v128.load (i32.add (local.get $y1) (i32.add (i32.mul (local.get $rel) (local.get $rowBytes)) (local.get $j)))))
          (local.set $q (i32.const 0))
          (loop $quads
            (local.set $i0 (i32.add (i32.add (i32.mul (local.get $rel) (local.get $n)) (local.get $s)) (i32.shl (local.get $q) (i32.const 2))))
            (local.set $ap (i32.add (local.get $a) (i32.shl (local.get $i0) (i32.const 2))))
            (local.set $y0p (i32.add (local.get $y0) (i32.add (i32.mul (i32.add (local.get $s) (i32.shl (local.get $q) (i32.const 2))) (local.get $rowBytes)) (local.get $j))))
            (local.set $h0 (f32x4.max (f32x4.fma (v128.load32_splat (local.get $ap)) (f32x4.sub (v128.load (local.get $y0p)) (local.get $sub)) (local.get $b)) (local.get $floor)))
            (local.set $y0p (i32.add (local.get $y0p) (local.get $rowBytes)))
            (local.set $h1 (f32x4.max (f32x4.fma (v128.load32_splat offset=4 (local.get $ap)) (f32x4.sub (v128.load (local.get $y0p)) (local.get $sub)) (local.get $b)) (local.get $floor)))
            (local.set $y0p (i32.add (local.get $y0p) (local.get $rowBytes)))
            (local.set $h2 (f32x4.max (f32x4.fma (v128.load32_splat offset=8 (local.get $ap)) (f32x4.sub (v128.load (local.get $y0p)) (local.get $sub)) (local.get $b)) (local.get $floor)))
            (local.set $y0p (i32.add (local.get $y0p) (local.get $rowBytes)))
            (local.set $h3 (f32x4.max (f32x4.fma (v128.load32_splat offset=12 (local.get $ap)) (f32x4.sub (v128.load (local.get $y0p)) (local.get $sub)) (local.get $b)) (local.get $floor)))
            (local.set $op (i32.add (local.get $out) (i32.add (i32.mul (local.get $i0) (local.get $rowBytes)) (local.get $j))))
            (v128.store (local.get $op) (local.get $h0))
            (local.set $op (i32.add (local.get $op) (local.get $rowBytes)))
            (v128.store (local.get $op) (local.get $h1))
            (local.set $op (i32.add (local.get $op) (local.get $rowBytes)))
            (v128.store (local.get $op) (local.get $h2))
            (local.set $op (i32.add (local.get $op) (local.get $rowBytes)))
            (v128.store (local.get $op) (local.get $h3))
            (if (local.get $outT)
              (then
                (call $store_transposed
                  (i32.add (local.get $outT) (i32.shl (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (local.get $rows)) (local.get $i0)) (i32.const 2)))
                  (i32.shl (local.get $rows) (i32.const 2))
                  (local.get $h0) (local.get $h1) (local.get $h2) (local.get $h3))))
            (br_if $quads (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1))) (local.get $nsub))))
          (br_if $units (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $rowBytes))))
        (br_if $subjects (i32.lt_u (local.tee $s (i32.add (local.get $s) (i32.shl (local.get $nsub) (i32.const 2)))) (local.get $n))))
      (br_if $relations (i32.lt_u (local.tee $rel (i32.add (local.get $rel) (i32.const 1))) (local.get $r)))))
