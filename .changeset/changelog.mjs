// The changelog lines `changeset version` writes: those of @changesets/cli's default (each
// changeset's summary, after the commit that added it), except that a package released for the
// first time (from 0.0.0) is not listed under "Updated dependencies" of the packages that depend
// on it: in a first release, nothing was updated.
import defaultChangelog from '@changesets/cli/changelog';

const wasReleasedBefore = (dependency) => dependency.oldVersion !== '0.0.0';

/**
 * Changesets' changelog functions (see `changelog` in config.json).
 *
 * @example
 * // .changeset/config.json: "changelog": "./changelog.mjs"
 */
export default {
  getReleaseLine: defaultChangelog.getReleaseLine,
  getDependencyReleaseLine: (changesets, dependencies, options) =>
    defaultChangelog.getDependencyReleaseLine(
      changesets,
      dependencies.filter(wasReleasedBefore),
      options,
    ),
};
