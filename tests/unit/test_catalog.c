/* test_catalog.c - catalog.c: the tables agree with the sheet's rules. */
#include <string.h>

#include "catalog.h"
#include "unit.h"

START_TEST(tables_are_well_formed)
{
	int n, sum;
	const struct cat_exercise *all = cat_all(&n);

	ck_assert_int_eq(n, 8);
	for (int i = 0; i < n; i++) {
		sum = 0;
		for (int k = 0; k < all[i].ntests; k++) {
			const struct fl_test *t = &all[i].tests[k];

			/* one test per numbered check, in the sheet's order */
			ck_assert_int_eq(t->check, k + 1);
			ck_assert_int_gt(t->points, 0);
			ck_assert(t->timeout > 0 && t->timeout <= 15);
			ck_assert(t->procs >= 0);
			ck_assert(t->rule == FL_NONE || t->rule == FL_INFO ||
			          t->arg > 0);
			for (int j = 0; j < k; j++)
				ck_assert_str_ne(t->name, all[i].tests[j].name);
			sum += t->points;
		}
		ck_assert_msg(sum == 100, "%s: %d points", all[i].id, sum);
	}
}
END_TEST

START_TEST(find_by_id_or_prefix)
{
	ck_assert_str_eq(cat_find("01-spawn")->file, "spawn.c");
	ck_assert_str_eq(cat_find("04")->file, "channel.c");
	ck_assert_str_eq(cat_find("08-terminate")->header, "terminate.h");
	ck_assert_ptr_null(cat_find("0")); /* too short: ambiguous */
	ck_assert_ptr_null(cat_find("09"));
	ck_assert_ptr_null(cat_find("spawn"));
}
END_TEST

Suite *suite_catalog(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc = tcase_create("catalog");

	tcase_add_test(tc, tables_are_well_formed);
	tcase_add_test(tc, find_by_id_or_prefix);
	suite_add_tcase(s, tc);
	return s;
}
