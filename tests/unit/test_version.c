/* What an app asks before anything else: which library it runs against, and what a status means. */
#include "helpers.h"
#include "rightdoor.h"

static void the_library_says_the_version_of_its_header(void **state)
{
    (void)state;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", RD_VERSION_MAJOR, RD_VERSION_MINOR, RD_VERSION_PATCH);
    assert_string_equal(RD_VERSION_STRING, want);
    assert_string_equal(rd_version(), want);
}

static void every_status_has_words(void **state)
{
    (void)state;
    static const rd_status all[] = {RD_OK, RD_ERR_PROGRAM, RD_ERR_IO, RD_ERR_NOMEM};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        assert_non_null(rd_status_str(all[i]));
        assert_string_not_equal(rd_status_str(all[i]), "unknown status");
        for (size_t k = 0; k < i; k++) assert_string_not_equal(rd_status_str(all[i]), rd_status_str(all[k]));
    }
    assert_string_equal(rd_status_str((rd_status)42), "unknown status");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_library_says_the_version_of_its_header),
        cmocka_unit_test(every_status_has_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
