#include "ui/session/session_state.h"

#include "ui/studio_page.h"

namespace cstudio::ui {

SessionDocument captureSession(const StudioPageList& pages, const QString& currentPage)
{
    SessionDocument session;
    session.currentPage = currentPage;
    for (const auto& [title, page] : pages)
        session.pages.insert(title, page->saveState());
    return session;
}

QStringList restoreSession(const SessionDocument& session, const StudioPageList& pages)
{
    QStringList warnings;
    for (const auto& [title, page] : pages) {
        if (!session.pages.contains(title))
            continue;
        QStringList pageWarnings;
        page->restoreState(session.pages.value(title).toObject(), &pageWarnings);
        for (const QString& warning : pageWarnings)
            warnings.append(QStringLiteral("%1: %2").arg(title, warning));
    }
    for (auto it = session.pages.begin(); it != session.pages.end(); ++it) {
        const bool known = std::any_of(pages.begin(), pages.end(), [&](const auto& page) { return page.first == it.key(); });
        if (!known)
            warnings.append(QStringLiteral("The session has settings for a \"%1\" page, which this version of the studio "
                                           "does not have; they were skipped.")
                                .arg(it.key()));
    }
    return warnings;
}

}  // namespace cstudio::ui
