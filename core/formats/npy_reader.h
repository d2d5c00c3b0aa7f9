#pragma once
// NumPy .npy files (format versions 1.0, 2.0 and 3.0): the magic string, a little-endian
// header length, then a Python dict literal {'descr': '<f4', 'fortran_order': False,
// 'shape': (3, 4)} and the raw array. Float (f2 f4 f8), integer (i1..i8, u1..u8) and bool
// dtypes in any byte order decode; other dtypes are listed as not decoded.
// Spec: numpy/lib/format.py (NEP 1).
#include "core/formats/mapped_tensor_source.h"
#include "core/job_control.h"

namespace cstudio {

// Parses the .npy array stored at [offset, offset + length) of `file` (a whole .npy file, or a
// member of an .npz archive) into a tensor named `name`.
Result<StoredTensor> readNpyArray(const std::shared_ptr<const MappedFile>& file, qint64 offset, qint64 length,
                                  const QString& name);

Result<std::shared_ptr<TensorSource>> openNpy(const QString& path, const JobControl& job = {});

}  // namespace cstudio
