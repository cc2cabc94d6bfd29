-- national/EC-OFFICERS-MIN (sqlite)
-- c0: action_type
-- c1: d0__act_date
-- c2: d0__officer_count
-- c3: procedure
SELECT
  rid,
  CASE
    WHEN (
      (
        c0 IS NULL OR c0 = 'penalty'
      )
      OR (
        c0 = 'inspection' OR (
          c0 = 'compulsion' AND c1 >= 734503 /* 2012-01-01 */
        )
      )
    )
    AND (
      (
        (
          c3 <> 'simple' OR c3 IS NULL
        )
        OR (
          c1 >= 737986 /* 2021-07-15 */ OR c1 IS NULL
        )
      )
      AND c1 IS NULL
    )
    THEN 0
    WHEN (
      (
        (
          c0 IS NULL OR c0 = 'penalty'
        )
        OR (
          c0 = 'inspection' OR (
            c0 = 'compulsion' AND c1 >= 734503 /* 2012-01-01 */
          )
        )
      )
      AND (
        (
          c3 <> 'simple' OR c3 IS NULL
        )
        OR (
          c1 >= 737986 /* 2021-07-15 */ OR c1 IS NULL
        )
      )
    )
    AND (
      c1 >= 728933 /* 1996-10-01 */ AND c0 IS NULL
    )
    THEN 1
    WHEN (
      (
        (
          c0 IS NULL OR c0 = 'penalty'
        )
        OR (
          c0 = 'inspection' OR (
            c0 = 'compulsion' AND c1 >= 734503 /* 2012-01-01 */
          )
        )
      )
      AND (
        (
          c3 <> 'simple' OR c3 IS NULL
        )
        OR (
          c1 >= 737986 /* 2021-07-15 */ OR c1 IS NULL
        )
      )
    )
    AND (
      c1 >= 728933 /* 1996-10-01 */ AND (
        NOT c0 IS NULL AND c2 IS NULL
      )
    )
    THEN 2
    WHEN (
      (
        (
          c0 IS NULL OR c0 = 'penalty'
        )
        OR (
          c0 = 'inspection' OR (
            c0 = 'compulsion' AND c1 >= 734503 /* 2012-01-01 */
          )
        )
      )
      AND (
        (
          c3 <> 'simple' OR c3 IS NULL
        )
        OR (
          c1 >= 737986 /* 2021-07-15 */ OR c1 IS NULL
        )
      )
    )
    AND (
      c1 >= 728933 /* 1996-10-01 */ AND (
        NOT c0 IS NULL AND c2 < 2
      )
    )
    THEN 3
    WHEN (
      (
        (
          c0 IS NULL OR c0 = 'penalty'
        )
        OR (
          c0 = 'inspection' OR (
            c0 = 'compulsion' AND c1 >= 734503 /* 2012-01-01 */
          )
        )
      )
      AND (
        (
          c3 <> 'simple' OR c3 IS NULL
        )
        OR (
          c1 >= 737986 /* 2021-07-15 */ OR c1 IS NULL
        )
      )
    )
    AND (
      c1 >= 728933 /* 1996-10-01 */ AND NOT c0 IS NULL
    )
    THEN 4
  END AS r0
FROM subjects
ORDER BY
  rid
