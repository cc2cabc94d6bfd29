-- chuxiong-2016/AY-ANNUAL-REPORT (postgresql)
-- c0: agency_type
-- c1: as_of
-- c2: d0__act_date
-- c3: d0__due_on
-- c4: existed_until
-- c5: level
-- c6: report_submitted_on
-- c7: reports
-- c8: year_end
SELECT
  rid,
  CASE
    WHEN (
      c4 IS NULL OR c4 > c8
    )
    AND (
      (
        (
          c0 = 'department'
          AND (
            (
              c5 = 'province' OR c5 = 'city'
            ) OR (
              c5 = 'county' OR c5 = 'township'
            )
          )
        )
        OR (
          c0 = 'government'
          AND (
            c5 = 'province' OR (
              c5 = 'city' OR c5 = 'county'
            )
          )
        )
      )
      AND c2 IS NULL
    )
    THEN 0
    WHEN (
      (
        c4 IS NULL OR c4 > c8
      )
      AND (
        (
          c0 = 'department'
          AND (
            (
              c5 = 'province' OR c5 = 'city'
            ) OR (
              c5 = 'county' OR c5 = 'township'
            )
          )
        )
        OR (
          c0 = 'government'
          AND (
            c5 = 'province' OR (
              c5 = 'city' OR c5 = 'county'
            )
          )
        )
      )
    )
    AND (
      c2 >= 736327 /* 2016-12-29 */ AND (
        NOT c6 IS NULL AND c6 > c3
      )
    )
    THEN 1
    WHEN (
      (
        c4 IS NULL OR c4 > c8
      )
      AND (
        (
          (
            c0 = 'department'
            AND (
              (
                c5 = 'province' OR c5 = 'city'
              ) OR (
                c5 = 'county' OR c5 = 'township'
              )
            )
          )
          OR (
            c0 = 'government'
            AND (
              c5 = 'province' OR (
                c5 = 'city' OR c5 = 'county'
              )
            )
          )
        )
        AND c2 >= 736327 /* 2016-12-29 */
      )
    )
    AND (
      c7 > 0 AND (
        c6 IS NULL AND c1 > c3
      )
    )
    THEN 2
    WHEN (
      (
        c4 IS NULL OR c4 > c8
      )
      AND (
        (
          c0 = 'department'
          AND (
            (
              c5 = 'province' OR c5 = 'city'
            ) OR (
              c5 = 'county' OR c5 = 'township'
            )
          )
        )
        OR (
          c0 = 'government'
          AND (
            c5 = 'province' OR (
              c5 = 'city' OR c5 = 'county'
            )
          )
        )
      )
    )
    AND (
      c2 >= 736327 /* 2016-12-29 */ AND (
        c6 IS NULL AND c1 > c3
      )
    )
    THEN 3
    WHEN (
      (
        c4 IS NULL OR c4 > c8
      )
      AND (
        (
          c0 = 'department'
          AND (
            (
              c5 = 'province' OR c5 = 'city'
            ) OR (
              c5 = 'county' OR c5 = 'township'
            )
          )
        )
        OR (
          c0 = 'government'
          AND (
            c5 = 'province' OR (
              c5 = 'city' OR c5 = 'county'
            )
          )
        )
      )
    )
    AND (
      c2 >= 736327 /* 2016-12-29 */ AND c6 IS NULL
    )
    THEN 4
    WHEN (
      c4 IS NULL OR c4 > c8
    )
    AND (
      (
        (
          c0 = 'department'
          AND (
            (
              c5 = 'province' OR c5 = 'city'
            ) OR (
              c5 = 'county' OR c5 = 'township'
            )
          )
        )
        OR (
          c0 = 'government'
          AND (
            c5 = 'province' OR (
              c5 = 'city' OR c5 = 'county'
            )
          )
        )
      )
      AND c2 >= 736327 /* 2016-12-29 */
    )
    THEN 5
  END AS r0
FROM subjects
ORDER BY
  rid NULLS FIRST
