-- chuxiong-2016/ND-FILING-DEADLINE (spark)
-- c0: as_of
-- c1: d0__act_date
-- c2: d0__due_on
-- c3: filed_on
-- c4: published_on
-- c5: status
SELECT
  rid,
  CASE
    WHEN (
      c5 IS NULL OR c5 <> 'draft'
    ) AND c1 IS NULL
    THEN 0
    WHEN (
      c5 IS NULL OR c5 <> 'draft'
    )
    AND (
      c1 >= 736327 /* 2016-12-29 */ AND c4 IS NULL
    )
    THEN 1
    WHEN (
      (
        c5 IS NULL OR c5 <> 'draft'
      ) AND c1 >= 736327 /* 2016-12-29 */
    )
    AND (
      NOT c4 IS NULL AND (
        NOT c3 IS NULL AND c3 > c2
      )
    )
    THEN 2
    WHEN (
      (
        c5 IS NULL OR c5 <> 'draft'
      ) AND c1 >= 736327 /* 2016-12-29 */
    )
    AND (
      NOT c4 IS NULL AND (
        c3 IS NULL AND c0 > c2
      )
    )
    THEN 3
    WHEN (
      (
        c5 IS NULL OR c5 <> 'draft'
      ) AND c1 >= 736327 /* 2016-12-29 */
    )
    AND (
      NOT c4 IS NULL AND c3 IS NULL
    )
    THEN 4
    WHEN (
      c5 IS NULL OR c5 <> 'draft'
    )
    AND (
      c1 >= 736327 /* 2016-12-29 */ AND NOT c4 IS NULL
    )
    THEN 5
  END AS r0
FROM subjects
ORDER BY
  rid
