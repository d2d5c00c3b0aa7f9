#pragma once
// Collecting and restoring a whole session from the pages: each StudioPage saves its own state
// under its title; restoring hands each page its part and gathers what could not be restored
// (a missing model file, a page this build lacks) as warnings, keeping everything else.
#include "core/session/session_file.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace cstudio::ui {

class StudioPage;

using StudioPageList = QList<QPair<QString, StudioPage*>>;

SessionDocument captureSession(const StudioPageList& pages, const QString& currentPage);

// Restores every page the session has state for; returns the warnings, in page order.
QStringList restoreSession(const SessionDocument& session, const StudioPageList& pages);

}  // namespace cstudio::ui
