-- chuxiong-2016/ND-COMMENT-PERIOD (postgresql)
-- c0: comment_end
-- c1: comment_shortened_reason
-- c2: comment_start
-- c3: d0__act_date
-- c4: d0__comment_days
-- c5: status
SELECT
  rid,
  CASE
    WHEN (
      c5 IS NULL OR c5 <> 'draft'
    )
    AND (
      (
        NOT c2 IS NULL OR NOT c0 IS NULL
      ) AND c3 IS NULL
    )
    THEN 0
    WHEN (
      (
        c5 IS NULL OR c5 <> 'draft'
      ) AND (
        NOT c2 IS NULL OR NOT c0 IS NULL
      )
    )
    AND (
      c3 >= 736327 /* 2016-12-29 */ AND (
        c2 IS NULL OR c0 IS NULL
      )
    )
    THEN 1
    WHEN (
      (
        c5 IS NULL OR c5 <> 'draft'
      )
      AND (
        (
          NOT c2 IS NULL OR NOT c0 IS NULL
        ) AND c3 >= 736327 /* 2016-12-29 */
      )
    )
    AND (
      NOT c2 IS NULL AND (
        NOT c0 IS NULL AND c0 < c2
      )
    )
    THEN 2
    WHEN (
      (
        c5 IS NULL OR c5 <> 'draft'
      )
      AND (
        (
          NOT c2 IS NULL OR NOT c0 IS NULL
        ) AND c3 >= 736327 /* 2016-12-29 */
      )
    )
    AND (
      (
        NOT c2 IS NULL AND NOT c0 IS NULL
      ) AND (
        c4 < 30 AND c1 IS NULL
      )
    )
    THEN 3
    WHEN (
      (
        c5 IS NULL OR c5 <> 'draft'
      ) AND (
        NOT c2 IS NULL OR NOT c0 IS NULL
      )
    )
    AND (
      c3 >= 736327 /* 2016-12-29 */ AND (
        NOT c2 IS NULL AND NOT c0 IS NULL
      )
    )
    THEN 4
  END AS r0
FROM subjects
ORDER BY
  rid NULLS FIRST
